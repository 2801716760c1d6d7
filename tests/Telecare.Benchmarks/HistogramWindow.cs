using System.Globalization;

namespace Telecare.Benchmarks;

/// <summary>
/// A histogram over several aggregation intervals. The runtime sends each interval's quantiles, not its values, so the
/// window's median is the count-weighted median of the intervals' medians and its p99 the highest interval's p99 (an
/// upper bound); the count and mean are exact.
/// </summary>
internal sealed record HistogramWindow(long Count, double Mean, double P50, double P99)
{
    public static HistogramWindow Of(IReadOnlyList<MetricSample> intervals)
    {
        var count = intervals.Sum(i => (long)i.Count);
        var sum = intervals.Sum(i => i.Sum);
        var measured = intervals.Where(i => i.Count > 0 && i.Quantiles!.ContainsKey(0.5)).OrderBy(i => i.Quantiles![0.5]).ToList();
        var p50 = double.NaN;
        var seen = 0L;
        foreach (var interval in measured)
        {
            seen += interval.Count;
            if (seen * 2 >= count)
            {
                p50 = interval.Quantiles![0.5];
                break;
            }
        }

        var p99 = measured.Count > 0 ? measured.Max(i => i.Quantiles!.GetValueOrDefault(0.99, double.NaN)) : double.NaN;
        return new HistogramWindow(count, count > 0 ? sum / count : double.NaN, p50, p99);
    }

    public override string ToString() => Count == 0
        ? "no commits"
        : string.Create(CultureInfo.InvariantCulture, $"{Count:#,0} commits, mean {Mean:0.0}, p50 {P50:0.#}, p99 ≤ {P99:0.#}");
}
