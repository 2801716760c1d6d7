using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Mqtt;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// Hostile and broken MQTT clients against the gateway's embedded broker with small limits: they are refused or cut,
/// the gateway logs it, and a real device (mosquitto_pub, or our own client holding a session) keeps being served.
/// The broker's protocol rules themselves are in Telecare.Protocols.Tests; this is the gateway's configuration of them.
/// </summary>
public sealed class MqttHostileClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _pub = MqttTestProcess.Find("mosquitto_pub", "mosquitto-clients");
    private readonly LogCapture _logs = new();
    private readonly Dictionary<string, string> _secrets = [];
    private GatewayFactory _factory = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Mqtt:MaxConnections"] = "2",
            ["Mqtt:MaxPendingConnections"] = "4",
            ["Mqtt:ConnectTimeoutSeconds"] = "3",
            ["Mqtt:MaxKeepAliveSeconds"] = "2",
            ["Mqtt:MaxPacketSize"] = "1024",
        })
        {
            TestServices = services => services.AddSingleton<ILoggerProvider>(_logs),
        };
        var installer = _factory.ClientAs(Roles.Installer);
        foreach (var device in new[] { "real-pendant", "other-pendant", "third-pendant" })
        {
            var registered = await installer.PostAsync("/api/v1/devices",
                new StringContent($$"""{"type":"pendant","deviceId":"{{device}}"}""", Encoding.UTF8, "application/json"));
            _secrets[device] = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        }

        _port = _factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint!.Port;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Sockets_that_send_nothing_or_half_a_connect_are_cut_a_flood_beyond_the_pending_limit_is_closed_at_once_and_a_device_is_served()
    {
        await using var device = await ConnectDeviceAsync("real-pendant");
        var idle = new List<RawPeer>();
        try
        {
            // Four sockets that say nothing, one that stops half-way through its CONNECT: the pending limit is 4.
            for (var i = 0; i < 3; i++)
            {
                idle.Add(await RawPeer.OpenAsync(_port));
            }

            var halfConnect = await RawPeer.OpenAsync(_port);
            idle.Add(halfConnect);
            await halfConnect.SendRawAsync(new byte[] { 0x10, 0x1A, 0x00, 0x04, (byte)'M', (byte)'Q' });
            await Eventually.TrueAsync(() => Ingress.PendingConnectionCount == 4, Wait, "four connections waiting to CONNECT");

            // One more is closed at once; the device already connected is served meanwhile.
            await using (var flood = await RawPeer.OpenAsync(_port))
            {
                Assert.True(await flood.ClosedAsync(Wait), "a socket beyond the pending limit was kept open");
            }

            await PublishAsync(device, "real-pendant", 1);

            // After the CONNECT timeout (3 s) every one of them is cut.
            foreach (var peer in idle)
            {
                Assert.True(await peer.ClosedAsync(Wait), "a socket that never completed CONNECT was kept open");
            }

            await Eventually.TrueAsync(() => Ingress.PendingConnectionCount == 0, Wait, "no connection left waiting");
            await Eventually.TrueAsync(() => Warned("already waiting to CONNECT") && Warned("no CONNECT within 3 s"), Wait, "the refusals to be logged");

            // New devices get in again.
            await using var pub = await MosquittoPubAsync("other-pendant", 2, "mqttv311");
            Assert.True(pub.ExitCode == 0, pub.Output);
        }
        finally
        {
            foreach (var peer in idle)
            {
                await peer.DisposeAsync();
            }
        }

        Assert.Equal(1, Stored("real-pendant", 1));
        Assert.Equal(1, Stored("other-pendant", 2));
    }

    [Fact]
    public async Task One_device_too_many_a_stalled_half_packet_and_an_oversize_packet_are_refused_with_a_reason_while_a_device_is_served()
    {
        await using var device = await ConnectDeviceAsync("real-pendant");

        // A device that signs in without keep-alive and stops half-way through a PUBLISH: held to the 2 s cap.
        await using var stalled = await RawPeer.OpenAsync(_port);
        await stalled.SendAsync(new MqttConnectPacket(MqttProtocolVersion.V311, "other-pendant", true, 0)
        {
            Username = "other-pendant",
            Password = Encoding.UTF8.GetBytes(_secrets["other-pendant"]),
        }, MqttProtocolVersion.V311);
        Assert.Equal(MqttReasonCode.Success, (await stalled.ReceiveAsync<MqttConnAckPacket>(MqttProtocolVersion.V311)).ReasonCode);
        await Eventually.TrueAsync(() => Ingress.ConnectionCount == 2, Wait, "two devices connected (the limit)");

        // A third device while two are connected: refused as busy (3.1.1 return code 3), and logged.
        await using (var busy = await MosquittoPubAsync("third-pendant", 5, "mqttv311"))
        {
            Assert.NotEqual(0, busy.ExitCode);
        }

        await PublishAsync(device, "real-pendant", 3);
        await stalled.SendRawAsync(new byte[] { 0x32, 0x20, 0x00, 0x16 });
        Assert.True(await stalled.ClosedAsync(Wait), "a connection stalled half-way through a packet was kept open");
        await Eventually.TrueAsync(() => Warned("connections already (the limit)") && Warned("nothing received for 3 s (keep-alive)"), Wait, "the busy refusal and the keep-alive cut to be logged");

        // MQTT 5: a packet over the 1024-byte limit is refused before it is read, with the reason.
        await using var oversize = await RawPeer.OpenAsync(_port);
        await oversize.SendAsync(new MqttConnectPacket(MqttProtocolVersion.V500, "other-pendant", true, 30)
        {
            Username = "other-pendant",
            Password = Encoding.UTF8.GetBytes(_secrets["other-pendant"]),
        }, MqttProtocolVersion.V500);
        var ack = await oversize.ReceiveAsync<MqttConnAckPacket>(MqttProtocolVersion.V500);
        Assert.Equal(1024u, ack.Properties.MaximumPacketSize);
        await oversize.SendRawAsync(new byte[] { 0x32, 0xD0, 0x0F });
        var refused = await oversize.ReceiveAsync<MqttDisconnectPacket>(MqttProtocolVersion.V500);
        Assert.Equal(MqttReasonCode.PacketTooLarge, refused.ReasonCode);
        Assert.Contains("exceeds the limit of 1024", refused.Properties.ReasonString, StringComparison.Ordinal);
        Assert.True(await oversize.ClosedAsync(Wait));
        await Eventually.TrueAsync(() => Warned("exceeds the limit of 1024"), Wait, "the oversize packet to be logged");

        // 3.1.1 cannot be told the limit: mosquitto_pub's oversize message is cut without an acknowledgement.
        await using (var big = await MosquittoPubAsync("other-pendant", 6, "mqttv311", padding: 2000))
        {
            Assert.DoesNotContain("received PUBACK", big.Output, StringComparison.Ordinal);
        }

        await PublishAsync(device, "real-pendant", 4);
        Assert.Equal(0, Stored("third-pendant", 5));
        Assert.Equal(0, Stored("other-pendant", 6));
        Assert.Equal(1, Stored("real-pendant", 3));
        Assert.Equal(1, Stored("real-pendant", 4));
    }

    private MqttIngressService Ingress => _factory.Services.GetRequiredService<MqttIngressService>();

    private bool Warned(string text) => _logs.Contains(LogLevel.Warning, text);

    private long Stored(string device, long sequence) =>
        _factory.Scalar($"SELECT COUNT(*) FROM signals WHERE device_ref = '{device}' AND sequence = {sequence.ToString(CultureInfo.InvariantCulture)}");

    private async Task<MqttClient> ConnectDeviceAsync(string deviceId)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Port = _port,
            ClientId = deviceId,
            Username = deviceId,
            Password = _secrets[deviceId],
            KeepAliveSeconds = 1,
        });
        await client.ConnectAsync();
        return client;
    }

    private static async Task PublishAsync(MqttClient device, string deviceId, long sequence)
    {
        var result = await device.PublishAsync(MqttDeviceTopics.Prefix(deviceId) + "event",
            $$"""{"seq":{{sequence}},"type":"pendant.press"}""").WaitAsync(Wait);
        Assert.Equal(MqttReasonCode.Success, result.ReasonCode);
    }

    private async Task<MqttTestProcess> MosquittoPubAsync(string deviceId, long sequence, string version, int padding = 0)
    {
        var payload = $$"""{"seq":{{sequence}},"type":"pendant.press","pad":"{{new string('x', padding)}}"}""";
        var process = MqttTestProcess.Start(_pub, "-h", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture), "-V", version,
            "-i", deviceId, "-u", deviceId, "-P", _secrets[deviceId], "-d", "-q", "1", "-t", MqttDeviceTopics.Prefix(deviceId) + "event", "-m", payload);
        await process.WaitForExitAsync();
        return process;
    }

    /// <summary>A TCP client that writes MQTT bytes by hand (whole packets through the codec, or any fragment).</summary>
    private sealed class RawPeer : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[8192];
        private int _filled;

        private RawPeer(Socket socket) => _socket = socket;

        public static async Task<RawPeer> OpenAsync(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return new RawPeer(socket);
        }

        public async Task SendAsync(MqttPacket packet, MqttProtocolVersion version)
        {
            var bytes = new ArrayBufferWriter<byte>();
            MqttPacketCodec.Write(packet, version, bytes);
            await SendRawAsync(bytes.WrittenMemory);
        }

        public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes);

        public async Task<T> ReceiveAsync<T>(MqttProtocolVersion version)
            where T : MqttPacket
        {
            using var deadline = new CancellationTokenSource(Wait);
            while (true)
            {
                var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
                if (MqttPacketCodec.TryRead(ref sequence, version, MqttCodecLimits.Default, out var packet, out var error) == MqttReadStatus.Packet)
                {
                    var used = _filled - (int)sequence.Length;
                    Array.Copy(_buffer, used, _buffer, 0, _filled - used);
                    _filled -= used;
                    return Assert.IsType<T>(packet);
                }

                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), deadline.Token);
                Assert.True(read > 0, $"the connection closed before a {typeof(T).Name} ({error})");
                _filled += read;
            }
        }

        /// <summary>True when the gateway ends the connection (end of stream or reset) within the timeout.</summary>
        public async Task<bool> ClosedAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                while (await _socket.ReceiveAsync(_buffer, deadline.Token) > 0)
                {
                }

                return true;
            }
            catch (SocketException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
