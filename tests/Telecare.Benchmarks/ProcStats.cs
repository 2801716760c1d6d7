using System.Diagnostics;
using System.Globalization;

namespace Telecare.Benchmarks;

/// <summary>What Linux's /proc says about a process (any process: mosquitto is not .NET), and waiting for one to go quiet.</summary>
internal static class ProcStats
{
    public static long Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    public static int OpenFiles(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    public static long OpenFileLimit(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>User + system CPU the process has used (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Waits (up to two minutes) until the process uses under 5 % of a core over a second.</summary>
    public static async Task WaitUntilQuietAsync(int pid)
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

    private static long StatusKilobytes(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
