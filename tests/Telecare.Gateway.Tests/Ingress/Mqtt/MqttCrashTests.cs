using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Telecare.FirmwareSim.Devices;
using Telecare.Gateway.Demo;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Tests.Ingress.Mqtt;

/// <summary>
/// PUBACK only after commit, against the real gateway process (demo mode, its embedded broker on a fixed port) and our
/// own MQTT client as the device: an event whose PUBACK arrived survives a SIGKILL; an event the gateway took off the
/// socket but could not commit (the test holds SQLite's write lock) gets no PUBACK, so the device sends it again (DUP)
/// to the restarted gateway, which stores it once and raises one call.
/// </summary>
public sealed class MqttCrashTests
{
    private const string Pendant = "pendant-001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_device_whose_PUBACK_arrived_is_never_missing_after_the_gateway_is_SIGKILLed_and_restarted()
    {
        const int events = 300;
        await using var rig = await Rig.StartAsync();
        await using var device = new SimulatedDevice(Pendant, DeviceKind.Pendant, DemoSeeder.DeviceSecret(Pendant), rig.Fleet());
        await device.StartAsync();

        // The device's ledger: the sequence numbers whose PUBACK arrived. A window keeps a few events in flight at once.
        var ledger = new ConcurrentDictionary<long, bool>();
        using var window = new SemaphoreSlim(16);
        var publishes = new List<Task>();
        async Task Track(DeviceEventPublish publish)
        {
            try
            {
                if ((await publish.Acknowledged).IsSuccess)
                {
                    ledger[publish.Seq] = true;
                }
            }
            finally
            {
                window.Release();
            }
        }

        var stream = Task.Run(async () =>
        {
            for (var i = 0; i < events; i++)
            {
                await window.WaitAsync();
                publishes.Add(Track(device.PublishEvent(new DeviceEvent("pendant.press"))));
            }
        });

        await Eventually.TrueAsync(() => ledger.Count >= events / 3, Wait, "a third of the events to be acknowledged");
        rig.Gateway.Kill();
        var acknowledgedBeforeKill = ledger.Keys.ToHashSet();
        Assert.True(acknowledgedBeforeKill.Count < events, "the kill must land mid-stream");

        // What the killed process left on disk already holds every event it acknowledged.
        foreach (var seq in acknowledgedBeforeKill)
        {
            Assert.True(rig.Count($"device_ref = '{Pendant}' AND sequence = {seq}") == 1, $"{Pendant}#{seq} was acknowledged but is not in the store");
        }

        // The device sends whatever was not acknowledged again once the restarted gateway is back.
        await rig.RestartGatewayAsync();
        await stream.WaitAsync(Wait);
        await Task.WhenAll(publishes).WaitAsync(Wait);
        Assert.Equal(events, ledger.Count);

        foreach (var seq in ledger.Keys)
        {
            Assert.True(rig.Count($"device_ref = '{Pendant}' AND sequence = {seq} AND event_type = 'pendant.press'") == 1, $"{Pendant}#{seq} is not stored exactly once");
        }

        Assert.Equal(events, rig.Count($"device_ref = '{Pendant}' AND event_type = 'pendant.press'"));
        Assert.Equal(0, rig.Count("rejection_reason IS NOT NULL"));
    }

    [Fact]
    public async Task A_device_that_publishes_before_the_gateway_commits_and_never_gets_a_PUBACK_resends_and_is_deduplicated()
    {
        await using var rig = await Rig.StartAsync();
        var transport = new RecordingTransport("127.0.0.1", rig.MqttPort);
        await using var client = new MqttClient(new MqttClientOptions
        {
            ClientId = Pendant,
            Username = Pendant,
            Password = DemoSeeder.DeviceSecret(Pendant),
            CleanStart = false,
            SessionExpirySeconds = 3600,
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            TransportFactory = transport.OpenAsync,
        });
        await client.ConnectAsync();
        var payload = DevicePayloads.Event(1, DateTimeOffset.UtcNow, new DeviceEvent("pendant.press"), battery: 90);

        Task<MqttPublishResult> publish;
        using (rig.HoldWriteLock())
        {
            // The store cannot commit while the test holds its write lock (well inside the gateway's 30 s busy timeout).
            var sentBefore = transport.BytesWritten;
            publish = client.PublishAsync(new MqttApplicationMessage(DeviceTopics.Event(Pendant), payload, MqttQos.AtLeastOnce));
            await Eventually.TrueAsync(() => transport.BytesWritten >= sentBefore + payload.Length && TcpQueues.AllTaken(rig.MqttPort), Wait,
                "the gateway to take the PUBLISH off its socket");

            await AssertNoPubAckAsync(publish);
            Assert.Equal(0, rig.Count($"device_ref = '{Pendant}'"));

            rig.Gateway.Kill();
        }

        Assert.False(publish.IsCompleted, "no PUBACK may come from a gateway that never committed");
        Assert.Equal(0, rig.Count($"device_ref = '{Pendant}'"));

        // The client reconnects to the restarted gateway (which has no session for it) and sends the message again.
        await rig.RestartGatewayAsync();
        var result = await publish.WaitAsync(Wait);
        Assert.True(result.IsSuccess, $"PUBACK {result.ReasonCode}");

        var connections = transport.Connections;
        Assert.True(connections.Count >= 2, "the device must have reconnected");
        var first = Publishes(connections[0]);
        var resent = connections.Skip(1).SelectMany(Publishes).ToList();
        Assert.Equal([false], first.Select(p => p.Dup));
        Assert.Contains(resent, p => p.Dup && p.Qos == MqttQos.AtLeastOnce && p.Payload.Span.SequenceEqual(payload));

        // Stored once (its raw payload kept) and triaged into exactly one call.
        await Eventually.TrueAsync(() => rig.Count($"device_ref = '{Pendant}' AND triaged = 1") == 1, Wait, "the event to be triaged");
        Assert.Equal(1, rig.Count($"device_ref = '{Pendant}'"));
        Assert.Equal(1, rig.Count($"device_ref = '{Pendant}' AND sequence = 1 AND event_type = 'pendant.press' AND raw_frame = X'{Convert.ToHexString(payload)}'"));
        Assert.Equal(1, rig.Scalar("SELECT COUNT(*) FROM calls WHERE kind = 'Alarm'"));
        Assert.Equal(1, rig.Scalar($"SELECT COUNT(*) FROM calls c JOIN signals s ON s.id = c.first_signal_id AND s.call_id = c.id WHERE s.device_ref = '{Pendant}'"));
    }

    /// <summary>A bounded wait for silence: the one kind of absence a test can only watch for a while.</summary>
    private static async Task AssertNoPubAckAsync(Task<MqttPublishResult> publish)
    {
        var done = await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(1.5)));
        Assert.False(done == publish, "the gateway answered the PUBLISH before it could commit it");
    }

    private static List<MqttPublishPacket> Publishes(byte[] written)
    {
        var buffer = new ReadOnlySequence<byte>(written);
        var packets = new List<MqttPublishPacket>();
        while (MqttPacketCodec.TryRead(ref buffer, MqttProtocolVersion.V500, MqttCodecLimits.Default, out var packet, out _) == MqttReadStatus.Packet)
        {
            if (packet is MqttPublishPacket { Topic: var topic } p && topic == DeviceTopics.Event(Pendant))
            {
                packets.Add(p);
            }
        }

        return packets;
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempDirectory _directory;
        private readonly Dictionary<string, string> _environment;

        private Rig(TempDirectory directory)
        {
            _directory = directory;
            MqttPort = GatewayProcess.FreeTcpPort();
            // A fixed broker port, so the device finds the restarted gateway where the killed one was.
            _environment = new Dictionary<string, string> { ["Mqtt__Port"] = MqttPort.ToString(CultureInfo.InvariantCulture) };
            Gateway = new GatewayProcess(directory.Path, _environment);
        }

        public int MqttPort { get; }

        public GatewayProcess Gateway { get; private set; }

        private string DatabasePath => Path.Combine(_directory.Path, "telecare.db");

        public static async Task<Rig> StartAsync()
        {
            var rig = new Rig(new TempDirectory());
            try
            {
                await rig.Gateway.StartAsync(DemoExtensions.Flag);
                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }

        /// <summary>The device side: reconnects within a second once the gateway is back.</summary>
        public DeviceFleetOptions Fleet() => new()
        {
            Host = "127.0.0.1",
            Port = MqttPort,
            ReportStatus = false,
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };

        /// <summary>Starts a new gateway process on the same database and broker port.</summary>
        public async Task RestartGatewayAsync()
        {
            Gateway.Kill();
            await Gateway.DisposeAsync();
            Gateway = new GatewayProcess(_directory.Path, _environment);
            await Gateway.StartAsync(DemoExtensions.Flag);
        }

        /// <summary>Takes SQLite's write lock on the gateway's file from this process; disposing releases it.</summary>
        public SqliteConnection HoldWriteLock() => StoreFile.HoldWriteLock(DatabasePath);

        public long Count(string where) => Scalar($"SELECT COUNT(*) FROM signals WHERE {where}");

        public long Scalar(string sql) => StoreFile.Scalar(DatabasePath, sql);

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            _directory.Dispose();
        }
    }

    /// <summary>TCP for the client, keeping a copy of every byte each connection wrote (to see the DUP flag on the wire).</summary>
    private sealed class RecordingTransport(string host, int port)
    {
        private readonly List<MemoryStream> _connections = [];

        public long BytesWritten
        {
            get
            {
                lock (_connections)
                {
                    return _connections.Sum(c => c.Length);
                }
            }
        }

        public IReadOnlyList<byte[]> Connections
        {
            get
            {
                lock (_connections)
                {
                    return [.. _connections.Select(c => c.ToArray())];
                }
            }
        }

        public async ValueTask<IDuplexPipe> OpenAsync(CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var copy = new MemoryStream();
            lock (_connections)
            {
                _connections.Add(copy);
            }

            var stream = new RecordingStream(new NetworkStream(socket, ownsSocket: true), copy, _connections);
            return new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class RecordingStream(Stream inner, MemoryStream copy, object gate) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            lock (gate)
            {
                copy.Write(buffer.Span);
            }
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The kernel's view of the broker port's TCP connections (/proc/net/tcp and tcp6).</summary>
    private static class TcpQueues
    {
        /// <summary>
        /// True when the device side has no byte the gateway's kernel has not acknowledged, and the gateway side no byte
        /// its process has not read: whatever the device wrote, the gateway process has taken off the socket.
        /// </summary>
        public static bool AllTaken(int port)
        {
            bool server = false, client = false;
            // A dual-mode client socket is listed with the IPv6 ones, as ::ffff:127.0.0.1.
            foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1)))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                const string established = "01";
                if (fields.Length < 5 || fields[3] != established)
                {
                    continue;
                }

                var queues = fields[4].Split(':');
                var unacknowledged = Hex(queues[0]);
                var unread = Hex(queues[1]);
                if (Port(fields[1]) == port)
                {
                    server = true;
                    if (unread != 0)
                    {
                        return false;
                    }
                }
                else if (Port(fields[2]) == port)
                {
                    client = true;
                    if (unacknowledged != 0)
                    {
                        return false;
                    }
                }
            }

            return server && client;
        }

        private static int Port(string address) => (int)Hex(address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..]);

        private static long Hex(string text) => long.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
