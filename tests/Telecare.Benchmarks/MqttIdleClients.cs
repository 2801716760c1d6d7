using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Telecare.FirmwareSim.Devices;
using Telecare.Protocols.Mqtt;

namespace Telecare.Benchmarks;

/// <summary>
/// Child process of <see cref="MqttCompare"/>: opens idle device connections the way the firmware does (MQTT 5, its id
/// and secret, persistent session, "offline" will, subscribed to its ack and config topics) with bare sockets, so
/// thousands fit in one process. Prints "connected N failed M [first error]" and holds them until its standard input
/// closes, then says DISCONNECT on each (no wills fire).
/// A line "storm START SPREAD-MS TOTAL" on its input (START a <see cref="Stopwatch"/> timestamp, the same clock in every
/// process here) makes each connection send one alarm (QoS 1) at its turn of TOTAL spread evenly over SPREAD-MS and
/// wait up to two minutes for its PUBACK; it then prints "storm acked A refused R failed F last T [first error]", T the
/// timestamp of the last PUBACK.
/// Usage: mqtt-idle-clients port first count id-prefix secret source-address
/// </summary>
internal static class MqttIdleClients
{
    private const MqttProtocolVersion Version = MqttProtocolVersion.V500;
    private const ushort StormPacketId = 1;
    private static readonly TimeSpan StormAckTimeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(string[] args)
    {
        var port = int.Parse(args[0], CultureInfo.InvariantCulture);
        var first = int.Parse(args[1], CultureInfo.InvariantCulture);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var prefix = args[3];
        var secret = Encoding.UTF8.GetBytes(args[4]);
        // Its own loopback source address: its closed connections' TIME_WAIT entries never meet the load run's.
        var source = IPAddress.Parse(args[5]);

        var sockets = new Socket?[count];
        var received = new Received[count];
        var ids = new string[count];
        var failed = 0;
        string? firstError = null;
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                ids[i] = $"{prefix}{first + i:D5}";
                received[i] = new Received();
                sockets[i] = await ConnectAsync(source, port, ids[i], secret, received[i]);
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException or TimeoutException)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, e.Message, null);
            }
            finally
            {
                gate.Release();
            }
        }));

        Console.WriteLine($"connected {count - failed} failed {failed}{(firstError is null ? "" : " " + firstError)}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ');
            if (words is ["storm", _, _, _])
            {
                var start = long.Parse(words[1], CultureInfo.InvariantCulture);
                var spread = TimeSpan.FromMilliseconds(double.Parse(words[2], CultureInfo.InvariantCulture));
                var total = int.Parse(words[3], CultureInfo.InvariantCulture);
                Console.WriteLine(await StormAsync(sockets, received, ids, first, start, spread, total));
            }
        }

        var disconnect = Encode(new MqttDisconnectPacket());
        foreach (var socket in sockets.OfType<Socket>())
        {
            try
            {
                socket.Send(disconnect);
            }
            catch (SocketException)
            {
            }

            socket.Dispose();
        }
    }

    /// <summary>One alarm from every connection, each at its turn; what came back.</summary>
    private static async Task<string> StormAsync(Socket?[] sockets, Received[] received, string[] ids, int first, long start, TimeSpan spread, int total)
    {
        long acked = 0, refused = 0, failed = 0, last = 0;
        string? firstError = null;
        var sends = new List<Task>(sockets.Length);
        for (var i = 0; i < sockets.Length; i++)
        {
            if (sockets[i] is not { } socket)
            {
                continue;
            }

            var due = start + (long)(spread.TotalSeconds * Stopwatch.Frequency * (first + i) / total);
            while (Stopwatch.GetTimestamp() < due)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                await Task.Delay(wait > TimeSpan.FromMilliseconds(2) ? wait - TimeSpan.FromMilliseconds(1) : TimeSpan.FromMilliseconds(1));
            }

            var index = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var outcome = await AlarmAsync(socket, received[index], ids[index]);
                    var at = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref outcome == MqttReasonCode.Success ? ref acked : ref refused);
                    for (var seen = Interlocked.Read(ref last); at > seen; seen = Interlocked.Read(ref last))
                    {
                        Interlocked.CompareExchange(ref last, at, seen);
                    }
                }
                catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{ids[index]}: {e.Message}", null);
                }
            }));
        }

        await Task.WhenAll(sends);
        return FormattableString.Invariant($"storm acked {acked} refused {refused} failed {failed} last {last}{(firstError is null ? "" : " " + firstError)}");
    }

    /// <summary>Sends one pendant press and reads until its PUBACK, acknowledging what the gateway sends meanwhile.</summary>
    private static async Task<MqttReasonCode> AlarmAsync(Socket socket, Received received, string id)
    {
        using var timeout = new CancellationTokenSource(StormAckTimeout);
        var payload = DevicePayloads.Event(1, DateTimeOffset.UtcNow, new DeviceEvent("pendant.press"), battery: 100);
        await socket.SendAsync(Encode(new MqttPublishPacket(DeviceTopics.Event(id), payload, MqttQos.AtLeastOnce, Retain: false) { PacketId = StormPacketId }), timeout.Token);
        while (true)
        {
            switch (await ReadAsync(socket, received, timeout.Token))
            {
                case MqttPubAckPacket { PacketId: StormPacketId } ack:
                    return ack.ReasonCode;
                case MqttPublishPacket { Qos: MqttQos.AtLeastOnce } publish:
                    await socket.SendAsync(Encode(new MqttPubAckPacket(publish.PacketId)), timeout.Token);
                    break;
            }
        }
    }

    private static async Task<Socket> ConnectAsync(IPAddress source, int port, string id, byte[] secret, Received received)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            await socket.SendAsync(Encode(new MqttConnectPacket(Version, id, CleanStart: false, KeepAliveSeconds: 900)
            {
                Username = id,
                Password = secret,
                Will = new MqttWill($"telecare/v1/{id}/status", "offline"u8.ToArray(), MqttQos.AtLeastOnce, Retain: true),
                Properties = new MqttProperties { SessionExpiryInterval = 24 * 3600 },
            }), timeout.Token);
            if (await ReadAsync(socket, received, timeout.Token) is not MqttConnAckPacket { ReasonCode: MqttReasonCode.Success })
            {
                throw new InvalidDataException($"{id}: connection refused");
            }

            await socket.SendAsync(Encode(new MqttSubscribePacket(1,
                [new MqttSubscription($"telecare/v1/{id}/ack", MqttQos.AtLeastOnce), new MqttSubscription($"telecare/v1/{id}/config", MqttQos.AtLeastOnce)])), timeout.Token);
            if (await ReadAsync(socket, received, timeout.Token) is not MqttSubAckPacket)
            {
                throw new InvalidDataException($"{id}: no SUBACK");
            }

            return socket;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new TimeoutException($"{id}: no answer within 60 s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static byte[] Encode(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MqttPacketCodec.Write(packet, Version, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<MqttPacket> ReadAsync(Socket socket, Received received, CancellationToken cancellationToken)
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(received.Buffer, 0, received.Count);
            switch (MqttPacketCodec.TryRead(ref sequence, Version, MqttCodecLimits.Default, out var packet, out var error))
            {
                case MqttReadStatus.Packet:
                    var rest = (int)sequence.Length;
                    Array.Copy(received.Buffer, received.Count - rest, received.Buffer, 0, rest);
                    received.Count = rest;
                    return packet!;
                case MqttReadStatus.Malformed:
                    throw new InvalidDataException($"malformed answer: {error.Reason}");
            }

            if (received.Count == received.Buffer.Length)
            {
                Array.Resize(ref received.Buffer, received.Buffer.Length * 2);
            }

            var read = await socket.ReceiveAsync(received.Buffer.AsMemory(received.Count), cancellationToken);
            if (read == 0)
            {
                throw new IOException("closed by the broker");
            }

            received.Count += read;
        }
    }

    private sealed class Received
    {
        public byte[] Buffer = new byte[256];
        public int Count;
    }
}
