using System.Globalization;

namespace Telecare.FirmwareSim.Demo;

/// <summary>
/// <c>firmware-sim demo [--host localhost] [--port 1883] [--step-seconds 3]</c>: plays <see cref="DemoNight"/> against a
/// gateway started with <c>--demo</c>. Exit 0 when every message was acknowledged, 1 when the gateway could not be
/// reached or did not acknowledge, 2 on bad arguments.
/// </summary>
public static class DemoMode
{
    private const string Usage = "usage: firmware-sim demo [--host localhost] [--port 1883] [--step-seconds 3]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (Parse(args) is not { } options)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cts = CommandLine.CancelOnCtrlC();

        try
        {
            return await DemoNight.RunAsync(options, Console.Out, Console.Error, cancellationToken: cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("firmware-sim demo: stopped before the night was over.");
            return 1;
        }
    }

    /// <summary>The options, or null when an argument is unknown or its value is not usable.</summary>
    public static DemoNightOptions? Parse(string[] args)
    {
        var options = new DemoNightOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--host" when !string.IsNullOrWhiteSpace(value):
                    options.Host = value;
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536:
                    options.Port = port;
                    break;
                case "--step-seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 3600:
                    options.StepPause = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    return null;
            }

            i++;
        }

        return options;
    }
}
