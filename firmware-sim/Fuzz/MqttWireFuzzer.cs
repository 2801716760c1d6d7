using System.Globalization;
using System.Net.Sockets;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// Hostile MQTT connections to the gateway's broker, several at once: noise with no CONNECT, a mutated CONNECT, a good
/// CONNECT (a demo device's id and secret) followed by a mutated stream of every packet type, or half a packet and a
/// stall. The gateway may answer or cut the connection as it likes; what it may not do is stop listening (a refused
/// connect is a failure) or fall over (the runner watches the process and the canary devices).
/// </summary>
public sealed class MqttWireFuzzer(int port, Random random, IReadOnlyList<string> deviceIds)
{
    public FuzzTally Tally { get; } = new("mqtt connections");

    public async Task RunAsync(int parallel, CancellationToken stop)
    {
        var seeds = new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 }.ToDictionary(v => v,
            v => deviceIds.Select(id => (IReadOnlyList<byte[]>)[.. HostileBytes.MqttSeeds(id, $"demo-secret-{id}", v).Select(p => HostileBytes.Encode(p, v))]).ToList());
        // Each loop has its own generator: Random is not thread-safe, and the runs stay repeatable from one seed.
        var loops = Enumerable.Range(0, parallel).Select(_ => new Random(random.Next())).ToList();
        await Task.WhenAll(loops.Select(r => Task.Run(() => LoopAsync(r, seeds, stop), CancellationToken.None))).ConfigureAwait(false);
    }

    private async Task LoopAsync(Random r, Dictionary<MqttProtocolVersion, List<IReadOnlyList<byte[]>>> seeds, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var version = r.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
            var device = seeds[version][r.Next(seeds[version].Count)];
            // device[0] is a good CONNECT; the rest are the other packet types.
            var rest = device.Skip(1).ToList();
            var stream = r.Next(5) switch
            {
                0 => (Bytes: HostileBytes.Noise(r, 600), Stall: false),
                1 => (Bytes: HostileBytes.Mutate(device[0], device, r), Stall: false),
                2 => (Bytes: [.. device[0], .. Half(rest[r.Next(rest.Count)])], Stall: true),
                _ => (Bytes: device[0].Concat(HostileBytes.Mutate(Concat(rest, r), rest, r)).ToArray(), Stall: false),
            };
            await OneConnectionAsync(stream.Bytes, stream.Stall, r, stop).ConfigureAwait(false);
        }
    }

    private static byte[] Half(byte[] packet) => packet[..Math.Max(1, packet.Length / 2)];

    private static byte[] Concat(IReadOnlyList<byte[]> packets, Random r) =>
        [.. Enumerable.Range(0, r.Next(1, 7)).SelectMany(_ => packets[r.Next(packets.Count)])];

    private async Task OneConnectionAsync(byte[] bytes, bool stall, Random r, CancellationToken stop)
    {
        Tally.Begin(bytes);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                try
                {
                    await socket.ConnectAsync("127.0.0.1", port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    Tally.Fail($"no TCP connection to 127.0.0.1:{port} within 10 s (the broker stopped accepting?)");
                    return;
                }
            }

            // Written in pieces, as a slow or broken link delivers them.
            for (var offset = 0; offset < bytes.Length;)
            {
                var take = Math.Min(bytes.Length - offset, r.Next(1, 256));
                await socket.SendAsync(bytes.AsMemory(offset, take), SocketFlags.None, stop).ConfigureAwait(false);
                offset += take;
            }

            // Read what the broker answers (so its writes never block) until it hangs up or goes quiet.
            var quiet = stall ? TimeSpan.FromSeconds(r.Next(1, 4)) : TimeSpan.FromMilliseconds(300);
            var buffer = new byte[4096];
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(quiet);
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    Tally.CountRefused();
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Quiet for long enough, or the run is over: we hang up.
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // The broker cut us off mid-write: a deliberate answer to bad input.
            Tally.CountRefused();
        }
        catch (SocketException e)
        {
            Tally.Fail(string.Create(CultureInfo.InvariantCulture, $"{e.SocketErrorCode} on 127.0.0.1:{port}: {e.Message} (the broker stopped listening?)"));
        }
        finally
        {
            Tally.End();
        }
    }
}
