using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Telecare.Gateway.Tests.Support;
using Cli = Telecare.FirmwareSim.CommandLine;

namespace Telecare.Benchmarks;

/// <summary>
/// An alarm storm: the real gateway as a child process with N pendants registered, every one of them connected (from
/// helper processes, as many as the gateway's open-file limit takes), then each sends one alarm, all N spread evenly
/// over a couple of seconds. Reports how many were acknowledged, the time from the first alarm to the last PUBACK, and
/// whether every acknowledged alarm reached a dispatch console: live (CallRaised/CallUpdated on a console connected
/// throughout) and in the snapshot a console gets when it connects afterwards. Bounded: PUBACKs are awaited two
/// minutes, the consoles another two.
/// Usage: mqtt-storm [--devices 20000] [--seconds 2]
/// </summary>
internal static class MqttStorm
{
    private const string Usage = "usage: mqtt-storm [--devices 20000] [--seconds 2]";
    private const string Prefix = "storm-";
    private const string HandlerKey = "tgk_benchhandler_handler-key-for-the-mqtt-storm-benchmark";

    /// <summary>Files the gateway keeps for itself beyond those open before the storm (store readers, logs, console sockets).</summary>
    private const int GatewayFileMargin = 100;

    private static readonly TimeSpan ConsoleWait = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args)
    {
        int wanted;
        TimeSpan spread;
        try
        {
            var options = Cli.Options(args) ?? throw new FormatException("options come as --name value");
            if (options.Keys.FirstOrDefault(k => k is not ("devices" or "seconds")) is { } unknown)
            {
                throw new FormatException($"unknown option --{unknown}");
            }

            wanted = Cli.Int(options, "devices", 20_000);
            spread = TimeSpan.FromSeconds(Cli.Double(options, "seconds", 2));
            if (wanted is < 1 or > 99_999 || spread <= TimeSpan.Zero || spread > TimeSpan.FromMinutes(1))
            {
                throw new FormatException("--devices is 1-99999 and --seconds up to 60");
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"mqtt-storm: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine($"mqtt-storm: {wanted:#,0} pendants, one alarm each within {spread.TotalSeconds:0.#} s; {Environment.ProcessorCount} cores, load average {ProcStats.LoadAverage()}");
        await using var target = await MqttTarget.StartGatewayAsync(Enumerable.Range(0, wanted).Select(i => (Id(i), "pendant")), new Dictionary<string, string>
        {
            ["Security__Bootstrap__ApiKeys__0__Name"] = "bench-handler",
            ["Security__Bootstrap__ApiKeys__0__Role"] = "handler",
            ["Security__Bootstrap__ApiKeys__0__Key"] = HandlerKey,
        });
        var gateway = target.Gateway!;

        var limit = ProcStats.OpenFileLimit(target.ProcessId);
        var open = ProcStats.OpenFiles(target.ProcessId);
        var count = (int)Math.Min(wanted, limit - open - GatewayFileMargin);
        var why = count < wanted
            ? FormattableString.Invariant($" (of {wanted:#,0}: the gateway may open {limit:#,0} files, had {open:#,0} open and keeps {GatewayFileMargin} for its store, logs and consoles)")
            : "";

        await using var live = await ConsoleAsync(gateway);
        long lastOnConsole = 0;
        live.OnEvent = (name, arguments) =>
        {
            if (StormCall(name, arguments) is not null)
            {
                Volatile.Write(ref lastOnConsole, Stopwatch.GetTimestamp());
            }
        };
        await live.WaitForAsync("Snapshot");

        var clock = Stopwatch.StartNew();
        await using var devices = await MqttCompare.IdleClientsAsync(target.Port, Prefix, count);
        Console.WriteLine(FormattableString.Invariant($"{devices.Connected:#,0} devices connected{why} in {clock.Elapsed.TotalSeconds:0.0} s, {devices.Failed} failed{(devices.FirstError is null ? "" : ": " + devices.FirstError)}"));
        await ProcStats.WaitUntilQuietAsync(target.ProcessId);

        // Far enough ahead that every helper has read its line before its first turn.
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        var from = DateTime.UtcNow;
        var cpuBefore = ProcStats.CpuSeconds(target.ProcessId);
        foreach (var helper in devices.Helpers)
        {
            await helper.SendLineAsync(FormattableString.Invariant($"storm {start} {spread.TotalMilliseconds} {count}"));
        }

        long acked = 0, refused = 0, failed = 0, last = start;
        string? error = null;
        foreach (var helper in devices.Helpers)
        {
            // "storm acked A refused R failed F last T [first error]"
            var parts = (await helper.NextLineAsync(TimeSpan.FromMinutes(3))).Split(' ', 10);
            acked += long.Parse(parts[2], CultureInfo.InvariantCulture);
            refused += long.Parse(parts[4], CultureInfo.InvariantCulture);
            failed += long.Parse(parts[6], CultureInfo.InvariantCulture);
            last = Math.Max(last, long.Parse(parts[8], CultureInfo.InvariantCulture));
            error ??= parts.Length > 9 ? parts[9] : null;
        }

        var toLastAck = Stopwatch.GetElapsedTime(start, last);
        var cpu = ProcStats.CpuSeconds(target.ProcessId) - cpuBefore;
        Console.WriteLine(FormattableString.Invariant($"{acked:#,0} of {devices.Connected:#,0} alarms acknowledged ({refused} refused, {failed} failed{(error is null ? "" : ": " + error)}); last PUBACK {toLastAck.TotalSeconds:0.00} s after the first alarm was due"));

        // Live: the console connected throughout must have seen a call for every device.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var consoleDeadline = Stopwatch.StartNew();
        while (consoleDeadline.Elapsed < ConsoleWait && !live.Closed)
        {
            Collect(live, seen);
            if (seen.Count >= devices.Connected)
            {
                break;
            }

            await Task.Delay(200);
        }

        Collect(live, seen);
        var toConsole = Stopwatch.GetElapsedTime(start, Math.Max(start, Volatile.Read(ref lastOnConsole)));
        var window = await target.Metrics!.WindowAsync(from, DateTime.UtcNow);

        // Afterwards: a console that connects now must find every storm call in its snapshot.
        await using var late = await ConsoleAsync(gateway);
        var snapshot = await late.WaitForAsync("Snapshot", timeout: TimeSpan.FromMinutes(1));
        var inSnapshot = snapshot.GetProperty("calls").EnumerateArray()
            .Select(c => c.TryGetProperty("deviceId", out var d) ? d.GetString() : null)
            .Count(d => d is not null && d.StartsWith(Prefix, StringComparison.Ordinal));

        var everyOne = acked == devices.Connected && seen.Count == devices.Connected && inSnapshot == devices.Connected;
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine(FormattableString.Invariant($"| pendants connected | {devices.Connected:#,0}{why} |"));
        Console.WriteLine(FormattableString.Invariant($"| alarms sent within {spread.TotalSeconds:0.#} s / acknowledged | {devices.Connected:#,0} / {acked:#,0} ({refused} refused, {failed} failed) |"));
        Console.WriteLine(FormattableString.Invariant($"| first alarm due → last PUBACK | {toLastAck.TotalSeconds:0.00} s |"));
        Console.WriteLine(FormattableString.Invariant($"| signals stored by the gateway meanwhile / duplicates | {window.Counter("telecare.signals.received") ?? 0:#,0} / {window.Counter("telecare.signals.duplicated") ?? 0:#,0} |"));
        Console.WriteLine($"| commit batches | {window.Histogram("telecare.store.commit.batch_size")?.ToString() ?? "none"} |");
        Console.WriteLine(FormattableString.Invariant($"| gateway CPU from the first alarm to the last PUBACK | {cpu:0.0} s ({cpu / Math.Max(toLastAck.TotalSeconds, 0.01):0.00} cores) |"));
        Console.WriteLine(FormattableString.Invariant($"| devices with a call on the live console (CallRaised/CallUpdated) | {seen.Count:#,0}{(live.Closed ? " (the gateway dropped the console: " + live.CloseError + ")" : "")}, the last {toConsole.TotalSeconds:0.0} s after the first alarm was due |"));
        Console.WriteLine(FormattableString.Invariant($"| storm calls in a new console's snapshot | {inSnapshot:#,0} |"));
        Console.WriteLine($"| every acknowledged alarm on a console, nothing lost | {(everyOne ? "yes" : "NO")} |");
        return everyOne ? 0 : 1;
    }

    private static string Id(int i) => FormattableString.Invariant($"{Prefix}{i:D5}");

    private static void Collect(HubClient console, HashSet<string> seen)
    {
        foreach (var (name, arguments) in console.Events)
        {
            if (StormCall(name, arguments) is { } id)
            {
                seen.Add(id);
            }
        }
    }

    /// <summary>The storm device a CallRaised or CallUpdated is about, if it is one.</summary>
    private static string? StormCall(string name, JsonElement[] arguments) =>
        name is "CallRaised" or "CallUpdated" && arguments.Length > 0
        && arguments[0].TryGetProperty("deviceId", out var device) && device.ValueKind == JsonValueKind.String
        && device.GetString() is { } id && id.StartsWith(Prefix, StringComparison.Ordinal)
            ? id
            : null;

    private static Task<HubClient> ConsoleAsync(GatewayProcess gateway) => HubClient.ConnectAsync(async cancellationToken =>
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", HandlerKey);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/hubs/dispatch"), cancellationToken);
        return socket;
    });
}
