namespace Telecare.Benchmarks;

/// <summary>One instrument's value for one aggregation interval: a counter's running total, or a histogram's interval.</summary>
internal sealed record MetricSample(DateTime Start, DateTime End, string Instrument, string Tags, double Value, IReadOnlyDictionary<double, double>? Quantiles, int Count, double Sum);
