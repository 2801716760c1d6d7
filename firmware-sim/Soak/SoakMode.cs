namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// <c>firmware-sim soak [--gateway PATH/Telecare.Gateway.dll] [--devices 8] [--rate 50] [--serial-rate 2] [--cycles 10]
/// [--uptime-s 3] [--drain-s 120] [--data DIR] [--seed N]</c>: starts the gateway itself (demo mode, a temp data
/// folder, a socat pty pair for the receiver), SIGKILLs and restarts it <c>--cycles</c> times under a steady load, then
/// prints what was sent, acknowledged, stored, lost and duplicated. Exit code 1 when anything acknowledged was lost or
/// stored twice, a call is missing from the console or doubled; 2 for bad arguments or a missing program.
/// <c>firmware-sim soak fuzz …</c> is the long fuzz run instead (<see cref="Fuzz.FuzzMode"/>).
/// </summary>
public static class SoakMode
{
    private const string Usage =
        "usage: firmware-sim soak [--gateway src/Telecare.Gateway/bin/Release/net10.0/Telecare.Gateway.dll] [--devices 8] [--rate 50] "
        + "[--serial-rate 2] [--cycles 10] [--uptime-s 3] [--drain-s 120] [--data DIR] [--seed N]\n       firmware-sim soak fuzz [--seconds 300] [--seed N] … for the long fuzz run (README, Reliability)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "fuzz")
        {
            return await Fuzz.FuzzMode.RunAsync(args[1..]).ConfigureAwait(false);
        }

        return await CommandLine.RunWithReportAsync("soak", Usage, args, ["gateway", "data", "devices", "rate", "serial-rate", "cycles", "uptime-s", "drain-s", "seed"], Parse,
            (options, cancellationToken) => SoakRunner.RunAsync(options, Console.Out, cancellationToken), report => report.Passed).ConfigureAwait(false);
    }

    private static SoakOptions Parse(Dictionary<string, string> opts)
    {
        var options = new SoakOptions
        {
            GatewayDll = opts.TryGetValue("gateway", out var dll) ? Path.GetFullPath(dll) : FindGatewayDll() ?? "",
            DataDirectory = opts.TryGetValue("data", out var data) ? Path.GetFullPath(data) : null,
            Devices = CommandLine.Int(opts, "devices", 8),
            EventsPerSecond = CommandLine.Double(opts, "rate", 50),
            SerialLinesPerSecond = CommandLine.Double(opts, "serial-rate", 2),
            Cycles = CommandLine.Int(opts, "cycles", 10),
            Uptime = TimeSpan.FromSeconds(CommandLine.Double(opts, "uptime-s", 3)),
            DrainTimeout = TimeSpan.FromSeconds(CommandLine.Double(opts, "drain-s", 120)),
            Seed = opts.ContainsKey("seed") ? CommandLine.Int(opts, "seed", 0) : Environment.TickCount,
        };
        options.Validate();
        return options;
    }

    /// <summary>The Release build of the gateway, looked for from the current folder upwards (the repository root).</summary>
    internal static string? FindGatewayDll()
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
}
