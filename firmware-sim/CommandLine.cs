using System.Globalization;

namespace Telecare.FirmwareSim;

/// <summary>What every mode reads from its command line the same way: <c>--name value</c> options and Ctrl+C.</summary>
public static class CommandLine
{
    /// <summary><c>--name value</c> pairs (a <c>--flag</c> with no value is ""), or null when something else is there.</summary>
    public static Dictionary<string, string>? Options(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return null;
            }

            var key = args[i][2..];
            result[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
        }

        return result;
    }

    public static int Int(Dictionary<string, string> options, string key, int fallback) =>
        options.TryGetValue(key, out var v) ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public static double Double(Dictionary<string, string> options, string key, double fallback) =>
        options.TryGetValue(key, out var v) ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A token that Ctrl+C cancels, so a mode can stop cleanly and still print what it has.</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return cts;
    }
}
