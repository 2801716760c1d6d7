using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// The embedded broker's TLS listener ("Mqtt:Tls") against real mosquitto clients, with a throw-away CA: trusted clients
/// get their events stored and acknowledged, a client trusting another CA and a plain client on the TLS port get nothing in.
/// </summary>
public sealed class MqttIngressTlsTests : IDisposable
{
    private const string Device = "tls-pendant-1";
    private readonly string _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
    private readonly TempDirectory _files = new();
    private readonly TempDirectory _otherCa = new();

    public MqttIngressTlsTests()
    {
        TestCertificateAuthority.WriteBrokerFiles(_files.Path);
        TestCertificateAuthority.WriteBrokerFiles(_otherCa.Path);
    }

    public void Dispose()
    {
        _files.Dispose();
        _otherCa.Dispose();
    }

    private string CaFile => _files.File("ca.pem");

    /// <summary>A gateway with TLS on a free port and the test device registered; returns it with the device's secret.</summary>
    private static async Task<(GatewayFactory Gateway, string Secret)> StartAsync(IDictionary<string, string?> tls)
    {
        var settings = new Dictionary<string, string?> { ["Mqtt:Tls:Enabled"] = "true", ["Mqtt:Tls:Port"] = "0" };
        foreach (var (key, value) in tls)
        {
            settings[key] = value;
        }

        var gateway = new GatewayFactory(settings);
        var registered = await gateway.ClientAs(Roles.Installer).PostAsync("/api/v1/devices",
            new StringContent($$"""{"type":"pendant","deviceId":"{{Device}}"}""", Encoding.UTF8, "application/json"));
        registered.EnsureSuccessStatusCode();
        return (gateway, (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
    }

    private static MqttIngressService Ingress(GatewayFactory gateway) => gateway.Services.GetRequiredService<MqttIngressService>();

    private static string Port(IPEndPoint? endPoint) => endPoint!.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>mosquitto_pub sends one QoS 1 event (with <paramref name="tls"/> options, or none for plain TCP) and exits.</summary>
    private async Task<MqttTestProcess> PublishAsync(string port, string secret, int seq, params string[] tls)
    {
        var process = MqttTestProcess.Start(_pub, ["-h", "localhost", "-p", port, .. tls, "-V", "mqttv5", "-u", Device, "-P", secret, "-i", Device,
            "-d", "-q", "1", "-t", $"telecare/v1/{Device}/event", "-m", $$"""{"seq":{{seq}},"type":"pendant.press"}"""]);
        await process.WaitForExitAsync();
        return process;
    }

    private static long Stored(GatewayFactory gateway, int seq) =>
        gateway.Scalar($"SELECT COUNT(*) FROM signals WHERE device_ref = '{Device}' AND sequence = {seq}");

    private static async Task<JsonElement> ReadinessAsync(GatewayFactory gateway)
    {
        var response = await gateway.ClientAs(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("ingress").GetProperty("data");
    }

    [Fact]
    public async Task A_device_trusting_the_ca_is_stored_and_acknowledged_over_tls_and_plain_1883_stays_open()
    {
        var (gateway, secret) = await StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Tls:CertificateFile"] = _files.File("server.pem"),
            ["Mqtt:Tls:KeyFile"] = _files.File("server.key"),
        });
        await using var owned = gateway;
        var ingress = Ingress(gateway);
        Assert.NotNull(ingress.LocalEndPoint);
        Assert.NotNull(ingress.TlsLocalEndPoint);
        Assert.NotEqual(ingress.LocalEndPoint!.Port, ingress.TlsLocalEndPoint!.Port);

        await using var overTls = await PublishAsync(Port(ingress.TlsLocalEndPoint), secret, 5, "--cafile", CaFile);
        Assert.True(overTls.ExitCode == 0, overTls.Output);
        Assert.Contains("received PUBACK (Mid: 1, RC:0)", overTls.Output, StringComparison.Ordinal);
        Assert.Equal(1, Stored(gateway, 5));

        await using var plain = await PublishAsync(Port(ingress.LocalEndPoint), secret, 6);
        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.Equal(1, Stored(gateway, 6));

        var listeners = await ReadinessAsync(gateway);
        Assert.Equal("up", listeners.GetProperty(MqttIngressService.HealthName).GetString());
        Assert.Equal("up", listeners.GetProperty(MqttIngressService.TlsHealthName).GetString());
    }

    [Fact]
    public async Task A_client_trusting_another_ca_and_a_plain_client_on_the_tls_port_get_nothing_in()
    {
        var (gateway, secret) = await StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Tls:CertificateFile"] = _files.File("server.pem"),
            ["Mqtt:Tls:KeyFile"] = _files.File("server.key"),
        });
        await using var owned = gateway;
        var port = Port(Ingress(gateway).TlsLocalEndPoint);

        await using var untrusting = await PublishAsync(port, secret, 7, "--cafile", _otherCa.File("ca.pem"));
        Assert.NotEqual(0, untrusting.ExitCode);
        Assert.DoesNotContain("CONNACK", untrusting.Output, StringComparison.Ordinal);

        await using var plain = await PublishAsync(port, secret, 8);
        Assert.NotEqual(0, plain.ExitCode);
        Assert.DoesNotContain("received CONNACK", plain.Output, StringComparison.Ordinal);

        Assert.Equal(0, gateway.Scalar("SELECT COUNT(*) FROM signals"));
        // The listener survives both: a trusting device still gets in.
        await using var trusting = await PublishAsync(port, secret, 9, "--cafile", CaFile);
        Assert.True(trusting.ExitCode == 0, trusting.Output);
        Assert.Equal(1, Stored(gateway, 9));
    }

    [Fact]
    public async Task Require_tls_with_a_pkcs12_file_serves_only_tls_and_never_logs_the_password()
    {
        var (gateway, secret) = await StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Tls:CertificateFile"] = _files.File("server.pfx"),
            ["Mqtt:Tls:Password"] = TestCertificateAuthority.Password,
            ["Mqtt:Tls:RequireTls"] = "true",
        });
        await using var owned = gateway;
        var ingress = Ingress(gateway);
        Assert.Null(ingress.LocalEndPoint);

        await using var overTls = await PublishAsync(Port(ingress.TlsLocalEndPoint), secret, 11, "--cafile", CaFile);
        Assert.True(overTls.ExitCode == 0, overTls.Output);
        Assert.Equal(1, Stored(gateway, 11));

        var listeners = await ReadinessAsync(gateway);
        Assert.Equal("up", listeners.GetProperty(MqttIngressService.TlsHealthName).GetString());
        Assert.False(listeners.TryGetProperty(MqttIngressService.HealthName, out var _), listeners.ToString());

        var logs = string.Join("\n", Directory.GetFiles(gateway.LogDirectory).Select(ReadShared));
        Assert.Contains("MQTT broker listening for TLS", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCertificateAuthority.Password, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encrypted_pem_key_is_opened_with_the_password()
    {
        var (gateway, secret) = await StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Tls:CertificateFile"] = _files.File("server.pem"),
            ["Mqtt:Tls:KeyFile"] = _files.File("server.enc.key"),
            ["Mqtt:Tls:Password"] = TestCertificateAuthority.Password,
        });
        await using var owned = gateway;

        await using var overTls = await PublishAsync(Port(Ingress(gateway).TlsLocalEndPoint), secret, 12, "--cafile", CaFile);
        Assert.True(overTls.ExitCode == 0, overTls.Output);
        Assert.Equal(1, Stored(gateway, 12));
    }

    [Theory]
    [InlineData("Mqtt:Tls:CertificateFile", "", "", "", "is required")]
    [InlineData("Mqtt:Tls:CertificateFile", "{ca}/no-such.pem", "{ca}/server.key", "", "does not exist")]
    [InlineData("Mqtt:Tls:KeyFile", "{ca}/server.pem", "{ca}/no-such.key", "", "does not exist")]
    [InlineData("Mqtt:Tls:CertificateFile", "{ca}/server.pem", "", "", "no PEM private key")]
    [InlineData("Mqtt:Tls:Password", "{ca}/server.pem", "{ca}/server.enc.key", "", "encrypted")]
    [InlineData("Mqtt:Tls:KeyFile", "{ca}/server.pem", "{other}/server.key", "", "cannot be used together")]
    [InlineData("Mqtt:Tls:CertificateFile", "{ca}/server.pfx", "", "wrong-password", "PKCS#12")]
    [InlineData("Mqtt:Tls:KeyFile", "{ca}/server.pfx", "{ca}/server.key", TestCertificateAuthority.Password, "PKCS#12")]
    public void A_tls_file_that_cannot_be_used_stops_the_start_naming_the_key(string key, string certificate, string keyFile, string password, string problem)
    {
        string Path(string value) => value.Replace("{ca}", _files.Path, StringComparison.Ordinal).Replace("{other}", _otherCa.Path, StringComparison.Ordinal);
        using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Mqtt:Tls:Enabled"] = "true",
            ["Mqtt:Tls:Port"] = "0",
            ["Mqtt:Tls:CertificateFile"] = Path(certificate),
            ["Mqtt:Tls:KeyFile"] = Path(keyFile),
            ["Mqtt:Tls:Password"] = password,
        });

        var error = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        var message = Messages(error);
        Assert.Contains($"{key}: ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
        // Paths and reasons only: never the key itself or the password.
        Assert.DoesNotContain("PRIVATE KEY", message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCertificateAuthority.Password, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mqtt:Tls:RequireTls", "false", "true", "1883")]
    [InlineData("Mqtt:Tls:Port", "true", "false", "8883")]
    public void Tls_settings_that_leave_no_or_clashing_listeners_are_refused(string key, string enabled, string requireTls, string plainPort)
    {
        using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = plainPort,
            ["Mqtt:Tls:Enabled"] = enabled,
            ["Mqtt:Tls:RequireTls"] = requireTls,
            ["Mqtt:Tls:Port"] = "8883",
            ["Mqtt:Tls:CertificateFile"] = _files.File("server.pem"),
            ["Mqtt:Tls:KeyFile"] = _files.File("server.key"),
        });

        var error = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        Assert.Contains($"{key}: ", Messages(error), StringComparison.Ordinal);
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return string.Join(" | ", messages);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
