using Telecare.Testing;
using System.Net;
using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Our broker against the real mosquitto_pub / mosquitto_sub clients over TCP loopback.</summary>
public sealed class MqttBrokerInteropTests : IAsyncLifetime
{
    private readonly MqttTestBrokerHandler _handler = new();
    private MqttBroker _broker = null!;
    private string _pub = "";
    private string _sub = "";
    private string _port = "";

    public async Task InitializeAsync()
    {
        _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
        _sub = MqttTestProcess.Find("mosquitto_sub", "mosquitto-clients");
        _handler.Secrets["dev1"] = "s1";
        _handler.Secrets["gateway"] = "g";
        _broker = new MqttBroker(new MqttBrokerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, _handler);
        await _broker.StartAsync();
        _port = _broker.LocalEndPoint!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private string[] Common(string version, string user, string password, string id) =>
        ["-h", "127.0.0.1", "-p", _port, "-V", version, "-u", user, "-P", password, "-i", id];

    [Theory]
    [InlineData("mqttv311", 0)]
    [InlineData("mqttv311", 1)]
    [InlineData("mqttv311", 2)]
    [InlineData("mqttv5", 0)]
    [InlineData("mqttv5", 1)]
    [InlineData("mqttv5", 2)]
    public async Task Mosquitto_pub_delivers_to_the_handler_at_each_qos(string version, int qos)
    {
        await using var pub = MqttTestProcess.Start(_pub, [.. Common(version, "dev1", "s1", "dev1"), "-t", "telecare/v1/dev1/event", "-q", $"{qos}", "-m", "{\"seq\":17,\"type\":\"pendant.press\"}"]);
        Assert.True(await pub.WaitForExitAsync() == 0, pub.Output);
        var message = await _handler.NextPublishedAsync();
        Assert.Equal("telecare/v1/dev1/event", message.Topic);
        Assert.Equal((MqttQos)qos, message.Qos);
        Assert.Equal("{\"seq\":17,\"type\":\"pendant.press\"}", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public async Task Mosquitto_pub_v5_sees_the_payload_format_invalid_reason_code()
    {
        _handler.Decide = m => m.Payload.Span.SequenceEqual("not json"u8) ? MqttPublishOutcome.PayloadFormatInvalid("payload is not JSON") : MqttPublishOutcome.Success;
        await using var pub = MqttTestProcess.Start(_pub, [.. Common("mqttv5", "dev1", "s1", "dev1"), "-d", "-t", "telecare/v1/dev1/event", "-q", "1", "-m", "not json"]);
        await pub.WaitForExitAsync();
        Assert.Contains("received PUBACK (Mid: 1, RC:153)", pub.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Wrong_password_is_refused(string version)
    {
        await using var pub = MqttTestProcess.Start(_pub, [.. Common(version, "dev1", "nope", "dev1"), "-t", "telecare/v1/dev1/event", "-q", "1", "-m", "x"]);
        Assert.NotEqual(0, await pub.WaitForExitAsync());
        Assert.Contains("bad user name or password", pub.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Volatile.Read(ref _handler.PublishCalls));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Mosquitto_sub_receives_host_publishes_at_each_qos_and_retained(string version)
    {
        await _broker.PublishAsync("telecare/v1/dev1/config", Encoding.UTF8.GetBytes("cfg-retained"), MqttQos.AtLeastOnce, retain: true);
        await using var sub = MqttTestProcess.Start(_sub, [.. Common(version, "dev1", "s1", "dev1"), "-t", "telecare/v1/dev1/#", "-q", "2", "-v", "-C", "4", "-W", "30"]);

        // The retained message arriving proves the subscription is in place.
        Assert.Equal("telecare/v1/dev1/config cfg-retained", await sub.NextLineAsync());
        for (var qos = 0; qos <= 2; qos++)
        {
            await _broker.PublishAsync("telecare/v1/dev1/ack", Encoding.UTF8.GetBytes($"ack-q{qos}"), (MqttQos)qos);
        }

        Assert.Equal("telecare/v1/dev1/ack ack-q0", await sub.NextLineAsync());
        Assert.Equal("telecare/v1/dev1/ack ack-q1", await sub.NextLineAsync());
        Assert.Equal("telecare/v1/dev1/ack ack-q2", await sub.NextLineAsync());
        Assert.Equal(0, await sub.WaitForExitAsync());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Retained_message_from_mosquitto_pub_reaches_a_later_mosquitto_sub(string version)
    {
        await using (var pub = MqttTestProcess.Start(_pub, [.. Common(version, "dev1", "s1", "dev1"), "-t", "telecare/v1/dev1/status", "-q", "1", "-r", "-m", "online"]))
        {
            Assert.True(await pub.WaitForExitAsync() == 0, pub.Output);
        }

        await using var sub = MqttTestProcess.Start(_sub, [.. Common(version, "gateway", "g", "gw"), "-t", "telecare/v1/+/status", "-q", "1", "-v", "-C", "1", "-W", "30"]);
        Assert.Equal("telecare/v1/dev1/status online", await sub.NextLineAsync());
        Assert.Equal(0, await sub.WaitForExitAsync());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Will_of_a_killed_mosquitto_sub_is_published(string version)
    {
        await using var watcher = MqttTestProcess.Start(_sub, [.. Common(version, "gateway", "g", "gw"), "-t", "telecare/v1/+/status", "-q", "1", "-v", "-W", "30", "-C", "1"]);
        await MqttTestProcess.WaitUntilAsync(() => _broker.ConnectionCount == 1, "the watcher to connect");
        await using var device = MqttTestProcess.Start(_sub, [.. Common(version, "dev1", "s1", "dev1"), "-t", "telecare/v1/dev1/ack", "-q", "1",
            "--will-topic", "telecare/v1/dev1/status", "--will-payload", "offline", "--will-qos", "1", "-k", "60"]);
        await MqttTestProcess.WaitUntilAsync(() => _broker.ConnectionCount == 2, "the device to connect");
        device.Kill();

        var will = await _handler.NextPublishedAsync();
        Assert.Equal("telecare/v1/dev1/status", will.Topic);
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Equal("telecare/v1/dev1/status offline", await watcher.NextLineAsync());
    }

    [Fact]
    public async Task Tls_listener_serves_mosquitto_pub()
    {
        using var certificate = MqttTestCertificates.SelfSigned();
        var dir = Directory.CreateTempSubdirectory("telecare-mqtt-tls-");
        try
        {
            var caFile = Path.Combine(dir.FullName, "ca.pem");
            await File.WriteAllTextAsync(caFile, certificate.ExportCertificatePem());
            await using var tlsBroker = new MqttBroker(new MqttBrokerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Certificate = certificate }, _handler);
            await tlsBroker.StartAsync();
            var port = tlsBroker.LocalEndPoint!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var pub = MqttTestProcess.Start(_pub, "-h", "localhost", "-p", port, "--cafile", caFile, "-V", "mqttv5", "-u", "dev1", "-P", "s1", "-i", "dev1",
                "-t", "telecare/v1/dev1/event", "-q", "1", "-m", "over-tls");
            Assert.True(await pub.WaitForExitAsync() == 0, pub.Output);
            Assert.Equal("over-tls", Encoding.UTF8.GetString((await _handler.NextPublishedAsync()).Payload.Span));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
