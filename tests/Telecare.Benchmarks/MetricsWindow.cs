namespace Telecare.Benchmarks;

/// <summary>What a process's instruments did over a window: how much each counter grew, and each histogram's intervals.</summary>
internal sealed record MetricsWindow(IReadOnlyDictionary<string, double> Counters, IReadOnlyDictionary<string, HistogramWindow> Histograms)
{
    public double? Counter(string instrument) => Counters.TryGetValue(instrument, out var value) ? value : null;

    public HistogramWindow? Histogram(string instrument) => Histograms.GetValueOrDefault(instrument);
}
