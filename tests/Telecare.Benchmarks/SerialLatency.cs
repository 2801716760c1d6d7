using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Telecare.FirmwareSim.Serial;
using Telecare.Gateway.Health;
using Telecare.Gateway.Ingress.Serial;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Telecare.Benchmarks -- serial-latency [lines]`: lines/s through the
/// Sur-Gard codec alone and through codec + durable sink, then ACK latency (line written → ACK read) over a real socat
/// pty at 9600 and 115200 baud with the gateway's serial link and sink behind it. Needs socat.
/// </summary>
internal static class SerialLatency
{
    public static async Task RunAsync(string[] args)
    {
        var lines = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        CodecThroughput(200_000);
        await SinkThroughputAsync(lines * 10);
        foreach (var baud in new[] { 9600, 115200 })
        {
            await AckLatencyAsync(baud, baud == 9600 ? Math.Min(lines, 500) : lines);
        }
    }

    private static byte[] Line(int account, int seq) =>
        Encoding.ASCII.GetBytes($"5011 18{account:0000}E{(seq % 2 == 0 ? "101" : "111")}01{seq % 1000:000}\u0014");

    private static void CodecThroughput(int count)
    {
        var codec = ReceiverCodec.Create(ReceiverDialect.SurGardMlr2);
        var bytes = Enumerable.Range(0, count).SelectMany(i => Line(1000 + i % 50, i)).ToArray();
        var timer = Stopwatch.StartNew();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var frames = 0;
        while (codec.TryRead(ref buffer, out var result))
        {
            if (result.IsFrame)
            {
                frames++;
            }
        }

        Console.WriteLine($"Sur-Gard codec: {frames / timer.Elapsed.TotalSeconds:N0} lines/s ({frames} lines)");
    }

    private static async Task SinkThroughputAsync(int count)
    {
        using var rig = new SinkRig();
        var codec = ReceiverCodec.Create(ReceiverDialect.SurGardMlr2);
        var inFlight = new SemaphoreSlim(256);
        var all = new List<Task>(count);
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var buffer = new ReadOnlySequence<byte>(Line(1000 + i % 50, i));
            codec.TryRead(ref buffer, out var result);
            var frame = result.Frame!;
            await inFlight.WaitAsync();
            all.Add(rig.Sink.SubmitAsync(new Telecare.Core.Signals.IncomingSignal
            {
                Source = Telecare.Core.Signals.SignalSource.Serial,
                DeviceRef = $"rx1/{frame.Account}",
                Sequence = i, // distinct lines: the benchmark measures storing, not dedupe
                EventType = "pendant.press",
                RawFrame = frame.Raw,
            }).AsTask().ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(all);
        Console.WriteLine($"codec + durable sink: {count / timer.Elapsed.TotalSeconds:N0} lines/s ({count} lines, 256 in flight)");
    }

    private static async Task AckLatencyAsync(int baud, int count)
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var rig = new SinkRig();
        var options = new SerialReceiverOptions { Path = pair.PathB, ReceiverId = "rx1", BaudRate = baud, ReopenMinSeconds = 0.1 };
        var link = new SerialReceiverLink(options, rig.Sink, new IngressHealth(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = link.RunAsync(stop.Token);
        await using var port = LinuxSerialPort.Open(new SerialPortSettings { Path = pair.PathA, BaudRate = baud });
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await port.Output.WriteAsync(Line(2000 + i % 50, i));
            while (true)
            {
                var read = await port.Input.ReadAsync();
                var acked = read.Buffer.PositionOf((byte)0x06);
                port.Input.AdvanceTo(read.Buffer.End);
                if (acked is not null)
                {
                    break;
                }
            }

            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        await stop.CancelAsync();
        await running;
        Array.Sort(latencies);
        Console.WriteLine($"ACK latency over a pty at {baud} baud ({count} lines, stored before each ACK): " +
            $"p50 {latencies[count / 2]:0.000} ms, p99 {latencies[Math.Min(count - 1, (int)(count * 0.99))]:0.000} ms, max {latencies[^1]:0.000} ms");
    }
}
