using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Telecare.FirmwareSim.Devices;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;
using Telecare.Testing;

namespace Telecare.Benchmarks;

/// <summary>
/// The same MQTT device load against (a) mosquitto, (b) our broker alone and (c) the gateway's embedded broker with the
/// durable commit before each PUBACK, each a child process of this one, in one run. Per target, freshly started: idle
/// device connections opened from helper processes and the target's resident memory before and with them (they are
/// closed again), then the firmware-sim load run (QoS 1 events, PUBLISH→PUBACK timed) after a short warm-up.
/// Usage: mqtt-compare [rates=1000] [seconds=10] [devices=100] [idle=20000] [targets=mosquitto,broker,gateway]
/// (rates comma-separated, e.g. 1000,5000; targets a comma-separated subset).
/// </summary>
internal static class MqttCompare
{
    private const string Secret = "bench-device-secret";
    private const string IdlePrefix = "idle-";

    /// <summary>Sockets per helper process, well inside one process's open-file limit.</summary>
    private const int ClientsPerHelper = 9_000;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private const int WarmUpMessages = 2_000;
    private static int _helpers;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string[] args)
    {
        var rates = (args.Length > 0 ? args[0] : "1000").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var duration = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
        var devices = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var idle = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20_000;
        var targets = (args.Length > 4 ? args[4] : "mosquitto,broker,gateway").Split(',').ToHashSet(StringComparer.Ordinal);

        var fleet = new DeviceFleetOptions { Count = devices, IdPrefix = "bench-", Secret = Secret, Seed = 42, ProtocolVersion = Telecare.Protocols.Mqtt.MqttProtocolVersion.V500 };
        Console.WriteLine($"mqtt-compare: {devices} devices, QoS 1 events at {string.Join(" and ", rates.Select(r => $"{r:#,0}/s"))} offered for {duration.TotalSeconds:0} s "
            + $"(after a warm-up of {WarmUp.TotalSeconds:0} s or {WarmUpMessages:#,0} messages, whichever is longer), with {idle:#,0} idle connections measured first; {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var rows = new List<Row>();
        if (targets.Contains("mosquitto"))
        {
            await using var mosquitto = await MqttMosquittoBroker.StartAsync();
            rows.AddRange(await MeasureAsync("mosquitto " + MosquittoVersion(), mosquitto.ProcessId, mosquitto.Port, fleet, rates, duration, idle));
        }

        if (targets.Contains("broker"))
        {
            var brokerPort = GatewayProcess.FreeTcpPort();
            // Server GC like the gateway, so only what is behind the broker differs.
            await using var broker = await Helper.StartAsync(["mqtt-broker-alone", brokerPort.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
            await broker.NextLineAsync(TimeSpan.FromSeconds(30));
            rows.AddRange(await MeasureAsync("our broker alone", broker.ProcessId, brokerPort, fleet, rates, duration, idle));
        }

        if (targets.Contains("gateway"))
        {
            rows.AddRange(await MeasureGatewayAsync(fleet, rates, duration, idle));
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| target | offered | acked / sent | msg/s | PUBLISH→PUBACK p50 / p99 / p99.9 | target CPU | idle connections | RSS before → with them | per connection |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Console.WriteLine(row.Markdown());
        }
    }

    private static async Task<List<Row>> MeasureGatewayAsync(DeviceFleetOptions fleet, double[] rates, TimeSpan duration, int idle)
    {
        var data = Directory.CreateTempSubdirectory("telecare-mqtt-compare-");
        try
        {
            Seed(Path.Combine(data.FullName, "telecare.db"), fleet, idle);
            var gatewayPort = GatewayProcess.FreeTcpPort();
            await using var gateway = new GatewayProcess(data.FullName, new Dictionary<string, string>
            {
                ["Mqtt__Port"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Security__Bootstrap__AdminPassword"] = "benchmark-admin-password",
                ["Serilog__MinimumLevel__Default"] = "Warning",
            });
            await gateway.StartAsync();
            return await MeasureAsync("gateway (embedded broker + durable commit)", gateway.ProcessId, gatewayPort, fleet, rates, duration, idle);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<List<Row>> MeasureAsync(string name, int pid, int port, DeviceFleetOptions template, double[] rates, TimeSpan duration, int idle)
    {
        var fleet = new DeviceFleetOptions { Count = template.Count, IdPrefix = template.IdPrefix, Secret = template.Secret, Seed = template.Seed, ProtocolVersion = template.ProtocolVersion, Port = port };
        // Idle first, on the freshly started process, so the growth is the connections' and not the load run's garbage.
        await Task.Delay(Settle);
        var idleResult = await IdleAsync(pid, port, idle);
        Console.WriteLine($"{name}: {idleResult}");
        // Thousands of disconnects keep a target busy for a while (mosquitto for seconds): let it finish first.
        await WaitUntilQuietAsync(pid);

        var rows = new List<Row>();
        foreach (var rate in rates)
        {
            var cpuBefore = CpuSeconds(pid);
            var started = Stopwatch.StartNew();
            try
            {
                // At least 2,000 messages, so low rates warm the JIT and the store as much as high ones.
                await DeviceLoadRunner.RunAsync(fleet, rate, TimeSpan.FromSeconds(Math.Max(WarmUp.TotalSeconds, WarmUpMessages / rate)));
                cpuBefore = CpuSeconds(pid);
                started.Restart();
                var report = await DeviceLoadRunner.RunAsync(fleet, rate, duration);
                var cpu = (CpuSeconds(pid) - cpuBefore) / report.Elapsed.TotalSeconds;
                Console.WriteLine($"{name} at {rate:#,0}/s: {report}; target CPU {cpu:0.00} cores");
                rows.Add(new Row(name, rate, report, cpu, rows.Count == 0 ? idleResult : null));
            }
            catch (TimeoutException)
            {
                // The runner gives up when PUBACKs are still missing 30 s after the offered load ended.
                var cpu = (CpuSeconds(pid) - cpuBefore) / started.Elapsed.TotalSeconds;
                Console.WriteLine($"{name} at {rate:#,0}/s: fell behind (acknowledgements still missing 30 s after the load ended); target CPU {cpu:0.00} cores");
                rows.Add(new Row(name, rate, null, cpu, rows.Count == 0 ? idleResult : null));
                await WaitUntilQuietAsync(pid);
            }
        }

        return rows;
    }

    /// <summary>Opens <paramref name="wanted"/> idle connections (fewer if the target's open-file limit cannot take them) and reads its RSS.</summary>
    private static async Task<IdleResult> IdleAsync(int pid, int port, int wanted)
    {
        var openFiles = Directory.GetFiles($"/proc/{pid}/fd").Length;
        var limit = OpenFileLimit(pid);
        // Room for what the target opens meanwhile (pooled store connections, log files).
        var count = (int)Math.Min(wanted, limit - openFiles - 100);
        var rssBefore = Rss(pid);
        var helpers = new List<Helper>();
        var connected = 0;
        var failed = 0;
        var errors = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var first = 0; first < count; first += ClientsPerHelper)
            {
                var slice = Math.Min(ClientsPerHelper, count - first);
                helpers.Add(await Helper.StartAsync(["mqtt-idle-clients", port.ToString(CultureInfo.InvariantCulture),
                    first.ToString(CultureInfo.InvariantCulture), slice.ToString(CultureInfo.InvariantCulture), IdlePrefix, Secret,
                    $"127.0.1.{++_helpers}"]));
            }

            foreach (var helper in helpers)
            {
                var parts = (await helper.NextLineAsync(TimeSpan.FromMinutes(10))).Split(' ', 5);
                connected += int.Parse(parts[1], CultureInfo.InvariantCulture);
                failed += int.Parse(parts[3], CultureInfo.InvariantCulture);
                if (parts.Length > 4)
                {
                    errors.Add(parts[4]);
                }
            }

            var connectTime = clock.Elapsed;
            await Task.Delay(Settle);
            return new IdleResult(wanted, count, limit, connected, failed, connectTime, rssBefore, Rss(pid), errors.FirstOrDefault());
        }
        finally
        {
            foreach (var helper in helpers)
            {
                await helper.DisposeAsync();
            }
        }
    }

    /// <summary>Waits (up to two minutes) until the process uses under 5 % of a core over a second.</summary>
    private static async Task WaitUntilQuietAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        var before = CpuSeconds(pid);
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = CpuSeconds(pid);
            if (now - before < 0.05)
            {
                return;
            }

            before = now;
        }
    }

    /// <summary>The load devices and the idle devices, registered with one shared secret, straight into a migrated store.</summary>
    private static void Seed(string databasePath, DeviceFleetOptions fleet, int idle)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        Migrations.Apply(connection);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO devices (device_id, type, secret_hash, created_at) VALUES ($id, $type, $hash, $now)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        insert.Parameters.AddWithValue("$hash", Secrets.Hash(Secret));
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var (device, kind) in fleet.Devices())
        {
            id.Value = device;
            type.Value = GatewayType(kind);
            insert.ExecuteNonQuery();
        }

        for (var i = 0; i < idle; i++)
        {
            id.Value = $"{IdlePrefix}{i:D5}";
            type.Value = "pendant";
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static string GatewayType(DeviceKind kind) => kind switch
    {
        DeviceKind.Pendant => "pendant",
        DeviceKind.FallDetector => "fall-detector",
        DeviceKind.Smoke => "smoke",
        DeviceKind.CarbonMonoxide => "co",
        DeviceKind.Flood => "flood",
        DeviceKind.Temperature => "temperature",
        DeviceKind.Door => "door",
        DeviceKind.Bed => "bed",
        DeviceKind.Chair => "chair",
        DeviceKind.Pir => "pir",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static long Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    private static long StatusKilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static long OpenFileLimit(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>User + system CPU the process has used (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string MosquittoVersion()
    {
        using var process = Process.Start(new ProcessStartInfo(MqttTestProcess.Find("mosquitto", "mosquitto"), "-h") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        var words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "version");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : "";
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

    /// <summary>This benchmark program started again in one of its helper modes, fed and stopped through its standard input.</summary>
    private sealed class Helper : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private Helper(Process process) => _process = process;

        public int ProcessId => _process.Id;

        public static Task<Helper> StartAsync(string[] arguments, IDictionary<string, string>? environment = null)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(MqttCompare).Assembly.Location);
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + self);
            var helper = new Helper(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    helper._lines.Writer.TryComplete();
                }
                else
                {
                    helper._lines.Writer.TryWrite(e.Data);
                }
            };
            process.BeginOutputReadLine();
            return Task.FromResult(helper);
        }

        public async Task<string> NextLineAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            return await _lines.Reader.ReadAsync(cts.Token);
        }

        /// <summary>Closing its input tells the helper to finish; it is killed if it does not.</summary>
        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
