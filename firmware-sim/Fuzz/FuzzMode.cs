using Telecare.FirmwareSim.Soak;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// <c>firmware-sim soak fuzz [--gateway PATH/Telecare.Gateway.dll] [--seconds 300] [--seed N] [--mqtt-connections 4]
/// [--http-requests 2] [--serial-rate 20] [--data DIR]</c>: the long fuzz run of issue #7 (see <see cref="FuzzRunner"/>).
/// Exit code 1 when any input crashed or hung a codec, got a 500, stopped the gateway or cost a canary alarm; 2 for bad
/// arguments or a missing program.
/// </summary>
public static class FuzzMode
{
    private const string Usage =
        "usage: firmware-sim soak fuzz [--gateway src/Telecare.Gateway/bin/Release/net10.0/Telecare.Gateway.dll] [--seconds 300] [--seed N] "
        + "[--mqtt-connections 4] [--http-requests 2] [--serial-rate 20] [--data DIR]";

    public static Task<int> RunAsync(string[] args) =>
        CommandLine.RunWithReportAsync("soak fuzz", Usage, args, ["gateway", "data", "seconds", "seed", "mqtt-connections", "http-requests", "serial-rate"], Parse,
            (options, cancellationToken) => FuzzRunner.RunAsync(options, Console.Out, cancellationToken), report => report.Passed);

    private static FuzzOptions Parse(Dictionary<string, string> opts)
    {
        var options = new FuzzOptions
        {
            GatewayDll = opts.TryGetValue("gateway", out var dll) ? Path.GetFullPath(dll) : SoakMode.FindGatewayDll() ?? "",
            DataDirectory = opts.TryGetValue("data", out var data) ? Path.GetFullPath(data) : null,
            Duration = TimeSpan.FromSeconds(CommandLine.Double(opts, "seconds", 300)),
            Seed = opts.ContainsKey("seed") ? CommandLine.Int(opts, "seed", 0) : Environment.TickCount,
            MqttConnections = CommandLine.Int(opts, "mqtt-connections", 4),
            HttpRequests = CommandLine.Int(opts, "http-requests", 2),
            SerialChunksPerSecond = CommandLine.Double(opts, "serial-rate", 20),
        };
        options.Validate();
        return options;
    }
}
