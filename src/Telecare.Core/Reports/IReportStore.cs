namespace Telecare.Core.Reports;

/// <summary>Port: the facts the KPI report is computed from, for a period from (inclusive) to (exclusive).</summary>
public interface IReportStore
{
    /// <summary>The calls raised in the period, by id.</summary>
    ValueTask<IReadOnlyList<KpiCallRecord>> CallsRaisedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The signals received in the period and not rejected, each with the zone of its device's resident.</summary>
    ValueTask<IReadOnlyList<KpiSignalRecord>> SignalsReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
