using System.Diagnostics;

namespace Telecare.FirmwareSim.Devices;

/// <summary>Collects PUBLISH→PUBACK latencies and reports percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly Lock _sync = new();
    private readonly List<long> _ticks = new(1 << 16);

    public void Record(long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        lock (_sync)
        {
            _ticks.Add(elapsed);
        }
    }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in milliseconds, nearest-rank.</summary>
    public double PercentileMs(double q)
    {
        long[] sorted;
        lock (_sync)
        {
            if (_ticks.Count == 0)
            {
                return double.NaN;
            }

            sorted = [.. _ticks];
        }

        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        var value = sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        return value * 1000.0 / Stopwatch.Frequency;
    }
}
