using Telecare.Core.Calls;
using Telecare.Core.Triage;

namespace Telecare.Core.Reports;

/// <summary>The few facts about a call the KPIs need; from the store's rows or <see cref="From(Call)"/>.</summary>
public sealed record KpiCallRecord(
    long CallId,
    string? Zone,
    TriagePriority Priority,
    CallKind Kind,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? OnSceneAt,
    string? Outcome)
{
    /// <summary>A call resolved straight from Raised (no claim) was answered when it was resolved.</summary>
    public static KpiCallRecord From(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var answered = call.AnsweredAt ?? (call.State is CallState.Resolved or CallState.Closed ? call.ResolvedAt : null);
        return new KpiCallRecord(call.Id, call.Zone, call.Priority, call.Kind, call.RaisedAt, answered, call.OnSceneAt, call.Outcome);
    }
}

/// <summary>A stored signal as the KPIs see it (alarms and devices offline are counted from signals).</summary>
public sealed record KpiSignalRecord(string EventType, bool Restore, DateTimeOffset ReceivedAt, string? Zone, string? DeviceRef);
