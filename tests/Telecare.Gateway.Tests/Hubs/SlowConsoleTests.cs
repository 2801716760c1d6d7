using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hubs;

/// <summary>
/// A dispatch console that stops reading (a frozen tab, a dead network) against the real gateway on Kestrel sockets.
/// The test keeps the kernel's and Kestrel's buffers small (4 KB) so that a couple of hundred calls overflow
/// everything between the gateway and that console, as a long stall does in life.
/// </summary>
public sealed class SlowConsoleTests
{
    private const int Calls = 200;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static GatewayFactory SmallBuffers(int sendTimeoutMilliseconds) => new(new Dictionary<string, string?>
    {
        ["Consoles:SendTimeoutMilliseconds"] = sendTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Consoles:MaxBufferBytes"] = "4096",
        ["Store:HealthProbeSeconds"] = "3600",
    })
    {
        TestServices = services =>
        {
            services.Configure<SocketTransportOptions>(options =>
            {
                options.MaxWriteBufferSize = 4096;
                // Accepted sockets take their buffer sizes from the listening one.
                options.CreateBoundListenSocket = endpoint =>
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = 4096;
                    return socket;
                };
            });
            services.Configure<KestrelServerOptions>(options => options.Limits.MaxResponseBufferSize = 4096);
        },
    };

    private static async Task RegisterDevicesAsync(HttpClient installer)
    {
        for (var i = 0; i < Calls; i++)
        {
            var response = await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"slow-{{i}}"}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private static async Task RaiseCallsAsync(HttpClient installer)
    {
        var sent = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i =>
            installer.PostAsync("/api/v1/signals", Json($$"""{"deviceId":"slow-{{i}}","seq":1,"type":"pendant.press"}"""))));
        Assert.All(sent, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
    }

    [Fact]
    public async Task A_console_that_stops_reading_does_not_hold_up_calls_to_another_console()
    {
        // A deadline far beyond the test: the stuck console stays connected throughout.
        await using var factory = SmallBuffers(sendTimeoutMilliseconds: 60_000);
        var address = factory.StartKestrel();
        var installer = factory.KestrelClientAs(Roles.Installer);
        await RegisterDevicesAsync(installer);
        var metrics = factory.Services.GetRequiredService<ConsoleMetrics>();
        await using var reading = await factory.KestrelHubAsync("/hubs/dispatch", Roles.Handler);
        await reading.WaitForAsync("Snapshot");
        using var stuck = await StuckConsole.OpenAsync(address, GatewayFactory.ApiKeyFor(Roles.Handler));
        await Eventually.TrueAsync(() => metrics.DispatchConsoles == 2, Wait, "both consoles to be connected");

        await RaiseCallsAsync(installer);

        await Eventually.TrueAsync(() => reading.Count("CallRaised") == Calls, Wait, $"all {Calls} calls at the console that reads");
        // The other console really is stuck (pushes wait on it) and still connected, yet held nothing up.
        Assert.True(factory.Services.GetRequiredService<LivePush>().Waiting > 0, "no push is waiting: the stuck console's buffers never filled, so the test proves nothing");
        Assert.Equal(2, metrics.DispatchConsoles);
    }

    [Fact]
    public async Task A_console_that_stops_reading_is_dropped_and_when_it_reconnects_it_resyncs_from_the_snapshot()
    {
        await using var factory = SmallBuffers(sendTimeoutMilliseconds: 300);
        var address = factory.StartKestrel();
        var installer = factory.KestrelClientAs(Roles.Installer);
        await RegisterDevicesAsync(installer);
        var metrics = factory.Services.GetRequiredService<ConsoleMetrics>();
        await using var reading = await factory.KestrelHubAsync("/hubs/dispatch", Roles.Handler);
        await reading.WaitForAsync("Snapshot");
        using var stuck = await StuckConsole.OpenAsync(address, GatewayFactory.ApiKeyFor(Roles.Supervisor));
        await Eventually.TrueAsync(() => metrics.DispatchConsoles == 2, Wait, "both consoles to be connected");

        await RaiseCallsAsync(installer);

        await Eventually.TrueAsync(() => metrics.DispatchConsoles == 1, Wait, "the stuck console to be dropped");
        Assert.True(await stuck.ClosedByServerAsync(Wait), "the gateway did not close the stuck console's socket");
        await Eventually.TrueAsync(() => reading.Count("CallRaised") == Calls, Wait, $"all {Calls} calls at the console that reads");
        Assert.False(reading.Closed);

        // The dropped console's page reconnects: the snapshot holds every call it missed.
        await using var back = await factory.KestrelHubAsync("/hubs/dispatch", Roles.Supervisor);
        var snapshot = await back.WaitForAsync("Snapshot");
        Assert.Equal(Calls, snapshot.GetProperty("calls").GetArrayLength());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>
    /// A console over a raw socket with a small receive buffer: it upgrades to a WebSocket, sends the SignalR
    /// handshake, and from then on never reads.
    /// </summary>
    private sealed class StuckConsole : IDisposable
    {
        private readonly Socket _socket;

        private StuckConsole(Socket socket) => _socket = socket;

        public static async Task<StuckConsole> OpenAsync(Uri address, string apiKey)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(address.Host, address.Port);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET /hubs/dispatch HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{Policies.ApiKeyHeader}: {apiKey}\r\n\r\n"));
            var head = await ReadHeadAsync(socket);
            Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
            await socket.SendAsync(MaskedText("""{"protocol":"json","version":1}""" + "\u001e"));
            return new StuckConsole(socket);
        }

        /// <summary>Reads what is left; true when the server ends the connection (end of stream or reset).</summary>
        public async Task<bool> ClosedByServerAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            var buffer = new byte[64 * 1024];
            try
            {
                while (await _socket.ReceiveAsync(buffer, deadline.Token) > 0)
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

        public void Dispose() => _socket.Dispose();

        private static async Task<string> ReadHeadAsync(Socket socket)
        {
            // One byte at a time so nothing after the headers is taken off the socket.
            var head = new StringBuilder();
            var one = new byte[1];
            using var deadline = new CancellationTokenSource(Wait);
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                Assert.Equal(1, await socket.ReceiveAsync(one, deadline.Token));
                head.Append((char)one[0]);
            }

            return head.ToString();
        }

        private static byte[] MaskedText(string text)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            Assert.True(payload.Length < 126);
            var mask = RandomNumberGenerator.GetBytes(4);
            var frame = new byte[2 + 4 + payload.Length];
            frame[0] = 0x81;
            frame[1] = (byte)(0x80 | payload.Length);
            mask.CopyTo(frame, 2);
            for (var i = 0; i < payload.Length; i++)
            {
                frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
            }

            return frame;
        }
    }
}
