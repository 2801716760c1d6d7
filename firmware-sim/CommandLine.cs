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

    /// <summary>
    /// A mode that runs and ends with a report: options from the arguments (exit 2 with the usage when they are bad),
    /// the run under Ctrl+C, the report printed, exit 0 when it passed and 1 when not, 2 when a program it needs is
    /// not installed.
    /// </summary>
    /// <param name="known">The option names the mode takes; any other is refused (a typo must not start an hour's run).</param>
    /// <param name="parse">Builds and validates the options; throws FormatException, ArgumentException or OverflowException.</param>
    public static async Task<int> RunWithReportAsync<TOptions, TReport>(string mode, string usage, string[] args, IReadOnlyCollection<string> known,
        Func<Dictionary<string, string>, TOptions> parse, Func<TOptions, CancellationToken, Task<TReport>> run, Func<TReport, bool> passed)
        where TReport : notnull
    {
        TOptions options;
        try
        {
            var given = Options(args) ?? throw new FormatException("arguments come as --name value");
            if (given.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            {
                throw new FormatException($"unknown option --{unknown}");
            }

            options = parse(given);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            Console.Error.WriteLine($"firmware-sim {mode}: {e.Message}");
            Console.Error.WriteLine(usage);
            return 2;
        }

        using var cts = CancelOnCtrlC();
        try
        {
            var report = await run(options, cts.Token).ConfigureAwait(false);
            Console.WriteLine(report);
            return passed(report) ? 0 : 1;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("not installed", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"firmware-sim {mode}: {e.Message}");
            return 2;
        }
    }
}
