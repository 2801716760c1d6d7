using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Benchmarks;

/// <summary>
/// Child process of <see cref="MqttCompare"/>: opens idle device connections the way the firmware does (MQTT 5, its id
/// and secret, persistent session, "offline" will, subscribed to its ack and config topics) with bare sockets, so
/// thousands fit in one process. Prints "connected N failed M [first error]" and holds them until its standard input
/// closes, then says DISCONNECT on each (no wills fire).
/// Usage: mqtt-idle-clients port first count id-prefix secret source-address
/// </summary>
internal static class MqttIdleClients
{
    private const MqttProtocolVersion Version = MqttProtocolVersion.V500;

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
        var failed = 0;
        string? firstError = null;
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                sockets[i] = await ConnectAsync(source, port, $"{prefix}{first + i:D5}", secret);
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
        await Console.In.ReadToEndAsync();

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

    private static async Task<Socket> ConnectAsync(IPAddress source, int port, string id, byte[] secret)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            var received = new Received();
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
