using System.Globalization;
using Telecare.FirmwareSim.Devices;

namespace Telecare.Benchmarks;

/// <summary>One measured load phase against one target: what the devices saw, the CPU both sides used, the target's own metrics.</summary>
internal sealed record MqttLoadPhase(DeviceLoadReport? Load, TimeSpan Elapsed, double TargetCores, double GeneratorCores, MetricsWindow? Metrics)
{
    public double? AllocatedPerMessage => Load is { Acked: > 0 } load && Metrics?.Counter(EventPipeMetrics.TotalAllocated) is { } bytes ? bytes / load.Acked : null;

    public HistogramWindow? Batches => Metrics?.Histogram("telecare.store.commit.batch_size");

    /// <summary>How long each batch took to run and commit (fsync included), ms.</summary>
    public HistogramWindow? Commits => Metrics?.Histogram("telecare.store.commit.duration");

    public double? Duplicates => Metrics?.Counter("telecare.signals.duplicated");

    public override string ToString()
    {
        var text = Load is { } load ? load.ToString() : $"fell behind (acknowledgements still missing 30 s after the load ended)";
        text += string.Create(CultureInfo.InvariantCulture, $"; target CPU {TargetCores:0.00} cores, load generator {GeneratorCores:0.00} cores");
        if (AllocatedPerMessage is { } allocated)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {allocated:#,0} bytes allocated per message");
        }

        if (Batches is { } batches)
        {
            text += $"; commit batches: {batches}";
        }

        if (Commits is { Count: > 0 } commits)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; commit ms mean {commits.Mean:0.00}, p50 {commits.P50:0.00}, p99 ≤ {commits.P99:0.00}");
        }

        if (Metrics?.Counter("telecare.signals.received") is { } received)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; signals stored {received:#,0}, duplicates {Duplicates ?? 0:#,0}");
        }

        return text;
    }
}
