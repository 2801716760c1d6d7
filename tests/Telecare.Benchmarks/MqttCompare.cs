using System.Diagnostics;
using System.Globalization;
using Telecare.FirmwareSim.Devices;

namespace Telecare.Benchmarks;

/// <summary>
/// The same MQTT device load against (a) mosquitto, (b) our broker alone and (c) the gateway's embedded broker with the
/// durable commit before each PUBACK, each a child process of this one, in one run. Per target, freshly started: idle
/// device connections opened from helper processes and the target's resident memory before and with them (they are
/// closed again), then the firmware-sim load run (QoS 1 events, PUBLISH→PUBACK timed) after a short warm-up on the
/// same connections.
/// Usage: mqtt-compare [rates=1000] [seconds=10] [devices=100] [idle=20000] [targets=mosquitto,broker,gateway]
/// (rates comma-separated, e.g. 1000,5000; targets a comma-separated subset), or mqtt-compare --mode load … for the
/// alarm path's shapes and kinds (<see cref="MqttLoadMatrix"/>).
/// </summary>
internal static class MqttCompare
{
    private const string IdlePrefix = "idle-";

    /// <summary>Sockets per helper process, well inside one process's open-file limit.</summary>
    public const int ClientsPerHelper = 9_000;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private const int WarmUpMessages = 2_000;
    private static int _helpers;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Environment.ExitCode = await MqttLoadMatrix.RunAsync(args);
            return;
        }

        var rates = (args.Length > 0 ? args[0] : "1000").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var duration = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
        var devices = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var idle = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20_000;
        var targets = (args.Length > 4 ? args[4] : "mosquitto,broker,gateway").Split(',').ToHashSet(StringComparer.Ordinal);

        var fleet = new DeviceFleetOptions { Count = devices, IdPrefix = "bench-", Secret = MqttTarget.Secret, Seed = 42, ProtocolVersion = Telecare.Protocols.Mqtt.MqttProtocolVersion.V500 };
        Console.WriteLine($"mqtt-compare: {devices} devices, QoS 1 events at {string.Join(" and ", rates.Select(r => $"{r:#,0}/s"))} offered for {duration.TotalSeconds:0} s "
            + $"(after a warm-up of {WarmUp.TotalSeconds:0} s or {WarmUpMessages:#,0} messages, whichever is longer), with {idle:#,0} idle connections measured first; {Environment.ProcessorCount} cores, load average {ProcStats.LoadAverage()}");

        var rows = new List<Row>();
        if (targets.Contains("mosquitto"))
        {
            await using var mosquitto = await MqttTarget.StartMosquittoAsync();
            rows.AddRange(await MeasureAsync(mosquitto, fleet, rates, duration, idle));
        }

        if (targets.Contains("broker"))
        {
            await using var broker = await MqttTarget.StartBrokerAloneAsync();
            rows.AddRange(await MeasureAsync(broker, fleet, rates, duration, idle));
        }

        if (targets.Contains("gateway"))
        {
            var registered = GatewaySeed.Of(fleet).Concat(Enumerable.Range(0, idle).Select(i => (IdId(i), "pendant")));
            await using var gateway = await MqttTarget.StartGatewayAsync(registered);
            rows.AddRange(await MeasureAsync(gateway, fleet, rates, duration, idle));
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end {ProcStats.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| target | offered | acked / sent | msg/s | PUBLISH→PUBACK p50 / p99 / p99.9 | target CPU | idle connections | RSS before → with them | per connection |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Console.WriteLine(row.Markdown());
        }
    }

    private static string IdId(int i) => $"{IdlePrefix}{i:D5}";

    private static async Task<List<Row>> MeasureAsync(MqttTarget target, DeviceFleetOptions template, double[] rates, TimeSpan duration, int idle)
    {
        var (name, pid, port) = (target.Name, target.ProcessId, target.Port);
        var fleet = new DeviceFleetOptions { Count = template.Count, IdPrefix = template.IdPrefix, Secret = template.Secret, Seed = template.Seed, ProtocolVersion = template.ProtocolVersion, Port = port };
        // Idle first, on the freshly started process, so the growth is the connections' and not the load run's garbage.
        await Task.Delay(Settle);
        var idleResult = await IdleAsync(pid, port, idle);
        Console.WriteLine($"{name}: {idleResult}");
        // Thousands of disconnects keep a target busy for a while (mosquitto for seconds): let it finish first.
        await ProcStats.WaitUntilQuietAsync(pid);

        var rows = new List<Row>();
        // One set of connections for every warm-up and run: new ones would send earlier sequence numbers again, and the
        // gateway would answer those as duplicates without storing anything.
        await using var devices = await DeviceFleet.ConnectAsync(fleet);
        foreach (var rate in rates)
        {
            var cpuBefore = ProcStats.CpuSeconds(pid);
            var started = Stopwatch.StartNew();
            try
            {
                // At least 2,000 messages, so low rates warm the JIT and the store as much as high ones.
                await devices.RunPacedAsync(rate, TimeSpan.FromSeconds(Math.Max(WarmUp.TotalSeconds, WarmUpMessages / rate)), DeviceLoadMessage.Catalog);
                cpuBefore = ProcStats.CpuSeconds(pid);
                started.Restart();
                var report = await devices.RunPacedAsync(rate, duration, DeviceLoadMessage.Catalog);
                var cpu = (ProcStats.CpuSeconds(pid) - cpuBefore) / report.Elapsed.TotalSeconds;
                Console.WriteLine($"{name} at {rate:#,0}/s: {report}; target CPU {cpu:0.00} cores");
                rows.Add(new Row(name, rate, report, cpu, rows.Count == 0 ? idleResult : null));
            }
            catch (TimeoutException)
            {
                // The runner gives up when PUBACKs are still missing 30 s after the offered load ended.
                var cpu = (ProcStats.CpuSeconds(pid) - cpuBefore) / started.Elapsed.TotalSeconds;
                Console.WriteLine($"{name} at {rate:#,0}/s: fell behind (acknowledgements still missing 30 s after the load ended); target CPU {cpu:0.00} cores");
                rows.Add(new Row(name, rate, null, cpu, rows.Count == 0 ? idleResult : null));
                await ProcStats.WaitUntilQuietAsync(pid);
            }
        }

        return rows;
    }

    /// <summary>Opens <paramref name="wanted"/> idle connections (fewer if the target's open-file limit cannot take them) and reads its RSS.</summary>
    private static async Task<IdleResult> IdleAsync(int pid, int port, int wanted)
    {
        var openFiles = ProcStats.OpenFiles(pid);
        var limit = ProcStats.OpenFileLimit(pid);
        // Room for what the target opens meanwhile (pooled store connections, log files).
        var count = (int)Math.Min(wanted, limit - openFiles - 100);
        var rssBefore = ProcStats.Rss(pid);
        var clock = Stopwatch.StartNew();
        await using var clients = await IdleClientsAsync(port, IdlePrefix, count);
        var connectTime = clock.Elapsed;
        await Task.Delay(Settle);
        return new IdleResult(wanted, count, limit, clients.Connected, clients.Failed, connectTime, rssBefore, ProcStats.Rss(pid), clients.FirstError);
    }

    /// <summary>
    /// <paramref name="count"/> device connections held by helper processes (no process here may open 20,000 files),
    /// each helper from its own loopback source address so that its closed connections' TIME_WAIT never meet another's.
    /// </summary>
    public static async Task<IdleClientGroup> IdleClientsAsync(int port, string prefix, int count)
    {
        var group = new IdleClientGroup();
        try
        {
            for (var first = 0; first < count; first += ClientsPerHelper)
            {
                var slice = Math.Min(ClientsPerHelper, count - first);
                group.Helpers.Add(HelperProcess.Start(["mqtt-idle-clients", port.ToString(CultureInfo.InvariantCulture),
                    first.ToString(CultureInfo.InvariantCulture), slice.ToString(CultureInfo.InvariantCulture), prefix, MqttTarget.Secret,
                    $"127.0.1.{++_helpers}"]));
            }

            foreach (var helper in group.Helpers)
            {
                var parts = (await helper.NextLineAsync(TimeSpan.FromMinutes(10))).Split(' ', 5);
                group.Connected += int.Parse(parts[1], CultureInfo.InvariantCulture);
                group.Failed += int.Parse(parts[3], CultureInfo.InvariantCulture);
                group.FirstError ??= parts.Length > 4 ? parts[4] : null;
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MB";

    private sealed record IdleResult(int Wanted, int Tried, long Limit, int Connected, int Failed, TimeSpan ConnectTime, long RssBefore, long RssAfter, string? Error)
    {
        public double BytesPerConnection => Connected > 0 ? (RssAfter - RssBefore) / (double)Connected : double.NaN;

        public override string ToString() =>
            FormattableString.Invariant($"{Connected:#,0} idle connections ({Failed} failed{(Error is null ? "" : ": " + Error)}) in {ConnectTime.TotalSeconds:0.0} s")
            + (Tried < Wanted ? FormattableString.Invariant($" (of {Wanted:#,0} wanted: its open-file limit is {Limit:#,0})") : "")
            + FormattableString.Invariant($", RSS {Mb(RssBefore)} -> {Mb(RssAfter)}, {BytesPerConnection / 1024:0.0} KB per connection");
    }

    private sealed record Row(string Target, double Rate, DeviceLoadReport? Load, double Cpu, IdleResult? Idle)
    {
        public string Markdown() =>
            FormattableString.Invariant($"| {Target} | {Rate:#,0}/s | ")
            + (Load is { } load
                ? FormattableString.Invariant($"{load.Acked:#,0} / {load.Sent:#,0} | {load.ThroughputPerSecond:#,0} | {load.P50Ms:0.00} / {load.P99Ms:0.00} / {load.P999Ms:0.00} ms | ")
                : "fell behind | | | ")
            + FormattableString.Invariant($"{Cpu:0.00} cores | ")
            + (Idle is { } idle
                ? FormattableString.Invariant($"{idle.Connected:#,0}{(idle.Failed > 0 ? $" ({idle.Failed} failed)" : "")} | {Mb(idle.RssBefore)} → {Mb(idle.RssAfter)} | {idle.BytesPerConnection / 1024:0.0} KB |")
                : "| | |");
    }
}
