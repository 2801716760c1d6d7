using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Store;

namespace Telecare.Benchmarks;

/// <summary>
/// Durable ingest through the real sink on a real SQLite file (WAL, synchronous=FULL): one operation is a burst of
/// <see cref="Concurrency"/> concurrent submits, so signals/s = Concurrency / mean time.
/// </summary>
[MemoryDiagnoser]
public class SignalSinkBenchmarks
{
    private SinkRig _rig = null!;
    private long _sequence;

    [Params(1, 64, 512)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup() => _rig = new SinkRig();

    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();

    [Benchmark]
    public async Task SubmitBurst()
    {
        var tasks = new Task<SignalReceipt>[Concurrency];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = _rig.Sink.SubmitAsync(SinkRig.Signal("bench-device", Interlocked.Increment(ref _sequence))).AsTask();
        }

        await Task.WhenAll(tasks);
    }
}

/// <summary>A sink on a temp file with a drained triage queue, as in the gateway.</summary>
internal sealed class SinkRig : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "telecare-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StoreWriter _writer;
    private readonly CancellationTokenSource _stop = new();

    public SinkRig()
    {
        Directory.CreateDirectory(_directory);
        var factory = new SqliteConnectionFactory(Path.Combine(_directory, "bench.db"));
        using (var connection = factory.OpenWriter())
        {
            Migrations.Apply(connection);
        }

        var meters = new BenchMeterFactory();
        _writer = new StoreWriter(factory, new StoreOptions(), TimeProvider.System, new StoreMetrics(meters));
        var options = Options.Create(new SignalOptions());
        Sink = new SignalSink(_writer, new SqliteSignalStore(new Telecare.Gateway.Store.ReadModels.RegistryChangeTracker(new Telecare.Gateway.ReadModels.RegistryReadModel())), new NoTriage(), new SignalMetrics(meters), options, TimeProvider.System);
    }

    public SignalSink Sink { get; }

    public static IncomingSignal Signal(string device, long sequence) => new()
    {
        Source = SignalSource.Mqtt,
        DeviceRef = device,
        Sequence = sequence,
        EventType = EventTypes.PendantPress,
        RawFrame = Encoding.UTF8.GetBytes($$"""{"seq":{{sequence}},"type":"pendant.press","battery":87}"""),
    };

    public void Dispose()
    {
        _stop.Cancel();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

internal sealed class BenchMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options.Name, options.Version);

    public void Dispose()
    {
    }
}

/// <summary>
/// `dotnet run -c Release --project tests/Telecare.Benchmarks -- sink-latency [rate] [seconds]`: offers signals at a
/// fixed rate (default 1,000/s for 10 s) and prints submit→receipt p50/p99/p99.9, then the saturated throughput.
/// </summary>
internal static class SinkLatency
{
    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        using var rig = new SinkRig();
        var total = rate * seconds;
        var latencies = new double[total];
        var pending = new List<Task>(total);
        var pacer = new Pacer(rate);
        for (var i = 0; i < total; i++)
        {
            await pacer.WaitForTurnAsync(i);

            var index = i;
            var started = Stopwatch.GetTimestamp();
            pending.Add(rig.Sink.SubmitAsync(SinkRig.Signal("latency", index)).AsTask()
                .ContinueWith(_ => latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds, TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
        Array.Sort(latencies);
        Console.WriteLine($"sink submit→receipt at {rate}/s offered for {seconds} s ({total} signals, durable group commit):");
        Console.WriteLine($"  p50 {Percentile(latencies, 0.50):0.000} ms   p99 {Percentile(latencies, 0.99):0.000} ms   p99.9 {Percentile(latencies, 0.999):0.000} ms   max {latencies[^1]:0.000} ms");

        // Saturated: as many as the sink will take, 256 in flight.
        const int saturated = 50_000;
        var inFlight = new SemaphoreSlim(256);
        var all = new List<Task>(saturated);
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < saturated; i++)
        {
            await inFlight.WaitAsync();
            var seq = 1_000_000 + i;
            all.Add(rig.Sink.SubmitAsync(SinkRig.Signal("throughput", seq)).AsTask().ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(all);
        Console.WriteLine($"  saturated durable ingest: {saturated / timer.Elapsed.TotalSeconds:N0} signals/s (256 in flight)");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>The sink alone: what triage adds is measured by call-latency and mqtt-compare.</summary>
internal sealed class NoTriage : ISignalTriage
{
    public void TriageNew(Telecare.Core.Store.IStoreUnit unit, StoredSignal signal)
    {
    }

    public void Failed(Telecare.Core.Store.IStoreUnit unit, StoredSignal signal, Exception error)
    {
    }
}
