using System.Globalization;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// <c>firmware-sim soak [--gateway PATH/Telecare.Gateway.dll] [--devices 8] [--rate 50] [--serial-rate 2] [--cycles 10]
/// [--uptime-s 3] [--drain-s 120] [--data DIR] [--seed N]</c>: starts the gateway itself (demo mode, a temp data
/// folder, a socat pty pair for the receiver), SIGKILLs and restarts it <c>--cycles</c> times under a steady load, then
/// prints what was sent, acknowledged, stored, lost and duplicated. Exit code 1 when anything acknowledged was lost or
/// stored twice, a call is missing from the console or doubled; 2 for bad arguments or a missing program.
/// </summary>
public static class SoakMode
{
    private const string Usage =
        "usage: firmware-sim soak [--gateway src/Telecare.Gateway/bin/Release/net10.0/Telecare.Gateway.dll] [--devices 8] [--rate 50] "
        + "[--serial-rate 2] [--cycles 10] [--uptime-s 3] [--drain-s 120] [--data DIR] [--seed N]";

    public static async Task<int> RunAsync(string[] args)
    {
        SoakOptions options;
        try
        {
            var opts = ParseArgs(args) ?? throw new FormatException("arguments come as --name value");
            options = new SoakOptions
            {
                GatewayDll = opts.TryGetValue("gateway", out var dll) ? Path.GetFullPath(dll) : FindGatewayDll() ?? "",
                DataDirectory = opts.TryGetValue("data", out var data) ? Path.GetFullPath(data) : null,
                Devices = Int(opts, "devices", 8),
                EventsPerSecond = Double(opts, "rate", 50),
                SerialLinesPerSecond = Double(opts, "serial-rate", 2),
                Cycles = Int(opts, "cycles", 10),
                Uptime = TimeSpan.FromSeconds(Double(opts, "uptime-s", 3)),
                DrainTimeout = TimeSpan.FromSeconds(Double(opts, "drain-s", 120)),
                Seed = opts.ContainsKey("seed") ? Int(opts, "seed", 0) : Environment.TickCount,
            };
            options.Validate();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            Console.Error.WriteLine($"firmware-sim soak: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        try
        {
            var report = await SoakRunner.RunAsync(options, Console.Out, cts.Token).ConfigureAwait(false);
            Console.WriteLine(report);
            return report.Passed ? 0 : 1;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("not installed", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"firmware-sim soak: {e.Message}");
            return 2;
        }
    }

    /// <summary>The Release build of the gateway, looked for from the current folder upwards (the repository root).</summary>
    private static string? FindGatewayDll()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Telecare.Gateway", "bin", "Release", "net10.0", "Telecare.Gateway.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int Int(Dictionary<string, string> opts, string key, int fallback) =>
        opts.TryGetValue(key, out var v) ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    private static double Double(Dictionary<string, string> opts, string key, double fallback) =>
        opts.TryGetValue(key, out var v) ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string>? ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            result[args[i][2..]] = args[i + 1];
        }

        return result;
    }
}
