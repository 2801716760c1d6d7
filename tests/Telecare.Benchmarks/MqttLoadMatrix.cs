using System.Diagnostics;
using System.Globalization;
using Cli = Telecare.FirmwareSim.CommandLine;
using Telecare.FirmwareSim.Devices;
using Telecare.Protocols.Mqtt;

namespace Telecare.Benchmarks;

/// <summary>
/// The alarm path at broker speed: the same device load against mosquitto, our broker alone and the gateway, one
/// after the other in one run, with every figure printed beside mosquitto's as a ratio. Per target, per shape
/// (connections × window) and per kind (alarms: pendant.press on the event topic; heartbeats), on one set of
/// connections: a warm-up, then an open-loop phase at the offered rate (PUBLISH→PUBACK, the target's CPU, its
/// allocations per message and commit batches), then a closed-loop phase with every window full (saturation
/// throughput). Every phase is bounded in time; the target is left to go quiet between phases.
/// Usage: mqtt-compare --mode load [--shapes 8x16,2000x1] [--kinds alarm,heartbeat] [--rate 1000] [--seconds 10]
/// [--warm-up 2] [--targets mosquitto,broker,gateway]
/// </summary>
internal static class MqttLoadMatrix
{
    private const string Usage = "usage: mqtt-compare --mode load [--shapes 8x16,2000x1] [--kinds alarm,heartbeat] [--rate 1000] [--seconds 10] [--warm-up 2] [--targets mosquitto,broker,gateway]";
    private const int WarmUpMessages = 2_000;
    private static readonly string[] Known = ["mode", "shapes", "kinds", "rate", "seconds", "warm-up", "targets"];

    public static async Task<int> RunAsync(string[] args)
    {
        MqttLoadShape[] shapes;
        DeviceLoadMessage[] kinds;
        double rate;
        TimeSpan duration, warmUp;
        string[] targets;
        try
        {
            var options = Cli.Options(args) ?? throw new FormatException("options come as --name value");
            if (options.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown option --{unknown}");
            }

            if (options.GetValueOrDefault("mode") != "load")
            {
                throw new FormatException("--mode load is the only mode with options; the idle-connection comparison takes positional arguments");
            }

            shapes = [.. options.GetValueOrDefault("shapes", "8x16,2000x1").Split(',').Select(MqttLoadShape.Parse)];
            kinds = [.. options.GetValueOrDefault("kinds", "alarm,heartbeat").Split(',').Select(Kind)];
            rate = Cli.Double(options, "rate", 1000);
            duration = TimeSpan.FromSeconds(Cli.Double(options, "seconds", 10));
            warmUp = TimeSpan.FromSeconds(Math.Max(Cli.Double(options, "warm-up", 2), WarmUpMessages / rate));
            targets = options.GetValueOrDefault("targets", "mosquitto,broker,gateway").Split(',');
            if (targets.FirstOrDefault(t => t is not ("mosquitto" or "broker" or "gateway")) is { } target)
            {
                throw new FormatException($"unknown target '{target}'");
            }

            if (rate <= 0 || duration <= TimeSpan.Zero || duration > TimeSpan.FromMinutes(5))
            {
                throw new FormatException("--rate must be positive and --seconds between 0 and 300");
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"mqtt-compare: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine($"mqtt-compare --mode load: shapes {string.Join(" and ", shapes.Select(s => s.ToString()))}; {string.Join(" and ", kinds.Select(Name))}; "
            + FormattableString.Invariant($"{rate:#,0}/s offered and then every window full, {duration.TotalSeconds:0} s each after a warm-up of {warmUp.TotalSeconds:0.#} s; ")
            + $"{Environment.ProcessorCount} cores, load average {ProcStats.LoadAverage()}");

        var results = new List<(string Target, MqttLoadShape Shape, DeviceLoadMessage Kind, MqttLoadPhase Paced, MqttLoadPhase Saturated)>();
        var names = new List<string>();
        foreach (var which in targets)
        {
            await using var target = which switch
            {
                "mosquitto" => await MqttTarget.StartMosquittoAsync(),
                "broker" => await MqttTarget.StartBrokerAloneAsync(),
                _ => await MqttTarget.StartGatewayAsync(shapes.SelectMany(s => GatewaySeed.Of(Fleet(s, 0)))),
            };
            names.Add(target.Name);
            foreach (var shape in shapes)
            {
                await using var fleet = await DeviceFleet.ConnectAsync(Fleet(shape, target.Port));
                await ProcStats.WaitUntilQuietAsync(target.ProcessId);
                foreach (var kind in kinds)
                {
                    var label = $"{target.Name}, {shape}, {Name(kind)}";
                    await fleet.RunPacedAsync(rate, warmUp, kind);
                    await ProcStats.WaitUntilQuietAsync(target.ProcessId);
                    var paced = await MeasureAsync(target, () => fleet.RunPacedAsync(rate, duration, kind));
                    Console.WriteLine(FormattableString.Invariant($"{label}, {rate:#,0}/s offered: {paced}"));
                    await ProcStats.WaitUntilQuietAsync(target.ProcessId);
                    var saturated = await MeasureAsync(target, () => fleet.RunSaturatedAsync(shape.Window, duration, kind));
                    Console.WriteLine($"{label}, every window full: {saturated}");
                    // What the gateway does after a PUBACK (triage, consoles) must not run into the next phase.
                    await ProcStats.WaitUntilQuietAsync(target.ProcessId);
                    results.Add((target.Name, shape, kind, paced, saturated));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end {ProcStats.LoadAverage()}");
        Console.WriteLine();
        PrintTable(results, names, rate);
        var lost = results.Where(r => Lost(r.Paced) || Lost(r.Saturated)).ToList();
        foreach (var (target, shape, kind, _, _) in lost)
        {
            Console.WriteLine($"NOT EVERY MESSAGE ACKNOWLEDGED: {target}, {shape}, {Name(kind)}");
        }

        return lost.Count == 0 ? 0 : 1;
    }

    private static bool Lost(MqttLoadPhase phase) => phase.Load is not { } load || load.Acked != load.Sent;

    private static DeviceFleetOptions Fleet(MqttLoadShape shape, int port) => new()
    {
        Port = port,
        Count = shape.Connections,
        // Pendants, so an alarm is a pendant press from a device that has one.
        Kinds = [DeviceKind.Pendant],
        IdPrefix = FormattableString.Invariant($"c{shape.Connections}w{shape.Window}-"),
        Secret = MqttTarget.Secret,
        Seed = 42,
        ProtocolVersion = MqttProtocolVersion.V500,
        MaxInflight = shape.Window,
        KeepAliveSeconds = 300,
    };

    private static async Task<MqttLoadPhase> MeasureAsync(MqttTarget target, Func<Task<DeviceLoadReport>> run)
    {
        var targetBefore = ProcStats.CpuSeconds(target.ProcessId);
        var selfBefore = ProcStats.CpuSeconds(Environment.ProcessId);
        var from = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        DeviceLoadReport? report = null;
        try
        {
            report = await run();
        }
        catch (TimeoutException)
        {
            // Reported as fell behind.
        }

        var elapsed = clock.Elapsed;
        var to = DateTime.UtcNow;
        var targetCores = (ProcStats.CpuSeconds(target.ProcessId) - targetBefore) / elapsed.TotalSeconds;
        var selfCores = (ProcStats.CpuSeconds(Environment.ProcessId) - selfBefore) / elapsed.TotalSeconds;
        var metrics = target.Metrics is { } m ? await m.WindowAsync(from, to) : null;
        return new MqttLoadPhase(report, elapsed, targetCores, selfCores, metrics);
    }

    private static void PrintTable(List<(string Target, MqttLoadShape Shape, DeviceLoadMessage Kind, MqttLoadPhase Paced, MqttLoadPhase Saturated)> results, List<string> names, double rate)
    {
        var mosquitto = names.FirstOrDefault(n => n.StartsWith("mosquitto", StringComparison.Ordinal));
        var gateway = names.FirstOrDefault(n => n.StartsWith("gateway", StringComparison.Ordinal));
        var atRate = FormattableString.Invariant($"at {rate:#,0}/s");
        Console.WriteLine($"| shape | kind | figure | {string.Join(" | ", names)} | gateway / mosquitto |");
        Console.WriteLine($"| --- | --- | --- |{string.Concat(names.Select(_ => " --- |"))} --- |");
        foreach (var group in results.GroupBy(r => (r.Shape, r.Kind)))
        {
            var byTarget = group.ToDictionary(r => r.Target, StringComparer.Ordinal);
            Row("saturation, msg/s acked (every window full)", p => Sat(p)?.Load?.ThroughputPerSecond, "#,0");
            Row("PUBLISH→PUBACK p99 at saturation, ms", p => Sat(p)?.Load?.P99Ms, "0.00");
            Row($"PUBLISH→PUBACK p50 {atRate}, ms", p => Paced(p)?.Load?.P50Ms, "0.00");
            Row($"PUBLISH→PUBACK p99 {atRate}, ms", p => Paced(p)?.Load?.P99Ms, "0.00");
            Row($"target CPU {atRate}, cores", p => Paced(p)?.TargetCores, "0.00");
            Row($"allocated per message {atRate}, bytes", p => Paced(p)?.AllocatedPerMessage, "#,0");
            Row("allocated per message at saturation, bytes", p => Sat(p)?.AllocatedPerMessage, "#,0");
            Text($"commit batch mean / p50 / p99 {atRate}", p => Batch(Paced(p)?.Batches));
            Text("commit batch mean / p50 / p99 at saturation", p => Batch(Sat(p)?.Batches));
            Text("commit ms (run + fsync) mean / p50 / p99 at saturation", p => Batch(Sat(p)?.Commits));
            Row("load generator CPU at saturation, cores", p => Sat(p)?.GeneratorCores, "0.00");

            MqttLoadPhase? Paced(string target) => byTarget.TryGetValue(target, out var r) ? r.Paced : null;
            MqttLoadPhase? Sat(string target) => byTarget.TryGetValue(target, out var r) ? r.Saturated : null;

            void Row(string figure, Func<string, double?> value, string format)
            {
                var cells = names.Select(n => value(n) is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a");
                var ratio = mosquitto is not null && gateway is not null && value(mosquitto) is { } m && value(gateway) is { } g && m > 0
                    ? (g / m).ToString("0.00", CultureInfo.InvariantCulture) + "×"
                    : "—";
                Console.WriteLine($"| {group.Key.Shape} | {Name(group.Key.Kind)} | {figure} | {string.Join(" | ", cells)} | {ratio} |");
            }

            void Text(string figure, Func<string, string> value) =>
                Console.WriteLine($"| {group.Key.Shape} | {Name(group.Key.Kind)} | {figure} | {string.Join(" | ", names.Select(value))} | — |");
        }
    }

    private static string Batch(HistogramWindow? batches) => batches is { Count: > 0 } b
        ? string.Create(CultureInfo.InvariantCulture, $"{b.Mean:0.0} / {b.P50:0.#} / {b.P99:0.#}")
        : "n/a";

    private static DeviceLoadMessage Kind(string text) => text switch
    {
        "alarm" => DeviceLoadMessage.Alarm,
        "heartbeat" => DeviceLoadMessage.Heartbeat,
        _ => throw new FormatException($"a kind is alarm or heartbeat, not '{text}'"),
    };

    private static string Name(DeviceLoadMessage kind) => kind == DeviceLoadMessage.Alarm ? "alarms" : "heartbeats";
}
