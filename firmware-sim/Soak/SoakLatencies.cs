using System.Collections.Concurrent;
using System.Diagnostics;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// PUBLISH→PUBACK times, split afterwards by whether an outage (kill to devices connected again) overlaps them: an event sent to a
/// gateway that died, or while none was up, waits for the restart, which says how long a restart takes, not how fast
/// the gateway acknowledges.
/// </summary>
public sealed class SoakLatencies
{
    private readonly ConcurrentQueue<(long Sent, long Acknowledged)> _spans = new();

    public void Record(long sentTimestamp) => _spans.Enqueue((sentTimestamp, Stopwatch.GetTimestamp()));

    /// <param name="outages">Stopwatch timestamps of each kill and of every device being connected to the restarted gateway, in order.</param>
    public SoakLatencySummary Summarise(IReadOnlyList<(long Killed, long Ready)> outages)
    {
        var readyAt = outages.Select(o => o.Ready).ToArray();
        var all = new List<long>(_spans.Count);
        var up = new List<long>(_spans.Count);
        foreach (var (sent, acknowledged) in _spans)
        {
            all.Add(acknowledged - sent);
            // The first outage not over when the event was sent; it overlaps the event if it began before the PUBACK.
            var i = Array.BinarySearch(readyAt, sent);
            var next = i >= 0 ? i : ~i;
            if (next >= outages.Count || outages[next].Killed > acknowledged)
            {
                up.Add(acknowledged - sent);
            }
        }

        return new SoakLatencySummary(Percentile(up, 0.50), Percentile(up, 0.99), Percentile(all, 0.99), all.Count - up.Count);
    }

    private static double Percentile(List<long> ticks, double q)
    {
        if (ticks.Count == 0)
        {
            return double.NaN;
        }

        ticks.Sort();
        var rank = Math.Clamp((int)Math.Ceiling(q * ticks.Count) - 1, 0, ticks.Count - 1);
        return ticks[rank] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>Milliseconds: with the gateway up (p50, p99), over every event (p99), and how many events waited out a crash.</summary>
public sealed record SoakLatencySummary(double UpP50Ms, double UpP99Ms, double AllP99Ms, int HeldAcrossCrash);
