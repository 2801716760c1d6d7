using System.Diagnostics.Metrics;

namespace Telecare.Gateway.Store;

/// <summary>Commit batch size and latency, for dotnet-counters and OTLP.</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "Telecare.Store";

    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitMilliseconds;
    private readonly Counter<long> _commitFailures;

    public StoreMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _batchSize = meter.CreateHistogram<int>("telecare.store.commit.batch_size", "{write}", "Writes per group commit");
        _commitMilliseconds = meter.CreateHistogram<double>("telecare.store.commit.duration", "ms", "Time to run and commit one batch");
        _commitFailures = meter.CreateCounter<long>("telecare.store.commit.failures", "{commit}", "Batches that could not be committed");
    }

    public void Committed(int batchSize, TimeSpan elapsed)
    {
        _batchSize.Record(batchSize);
        _commitMilliseconds.Record(elapsed.TotalMilliseconds);
    }

    public void CommitFailed() => _commitFailures.Add(1);
}
