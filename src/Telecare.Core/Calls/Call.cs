using System.Collections.Immutable;
using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Calls;

/// <summary>
/// A call and its whole history. Immutable: <see cref="CallTransitions.TryApply"/> returns a new value with
/// one more timeline entry and <see cref="Version"/> one higher, which the store uses to refuse a lost
/// update (two handlers claiming at once: one save wins, the other gets a conflict).
/// </summary>
public sealed record Call
{
    /// <summary>Assigned by the store; 0 until saved.</summary>
    public long Id { get; init; }

    /// <summary>Number of timeline entries; the store saves only if the version it holds is one lower.</summary>
    public int Version { get; init; }

    public required CallKind Kind { get; init; }

    /// <summary>Raised by a handler for a resident rather than by a signal.</summary>
    public bool IsManual { get; init; }

    public required CallState State { get; init; }

    public required TriagePriority Priority { get; init; }

    public string? ResidentId { get; init; }

    public string? DeviceRef { get; init; }

    public string? Zone { get; init; }

    /// <summary>The event that raised the call (a manual call has none).</summary>
    public string? EventType { get; init; }

    public long? TriggerSignalId { get; init; }

    /// <summary>The triage rule (or timer) that raised the call.</summary>
    public required string RuleName { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    public string? HandlerId { get; init; }

    public string? AssignedResponderId { get; init; }

    /// <summary>Responders who declined this call, so suggestions skip them.</summary>
    public ImmutableArray<string> DeclinedBy { get; init; } = [];

    public DateTimeOffset? AnsweredAt { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? EnRouteAt { get; init; }
    public DateTimeOffset? OnSceneAt { get; init; }
    public DateTimeOffset? LeftAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    public string? Outcome { get; init; }

    public bool CancelledByResident { get; init; }

    public bool EmergencyServicesCalled { get; init; }

    public CallBreaches Breaches { get; init; }

    public CallTimeline Timeline { get; init; } = CallTimeline.Empty;

    /// <summary>Still needs someone: not resolved, closed or cancelled. Triage's "call open for the resident" means this.</summary>
    public bool IsOpen => State is not (CallState.Resolved or CallState.Closed or CallState.Cancelled);

    public bool IsTechnical => Kind == CallKind.Technical;

    /// <summary>A call raised from a triaged signal (RaiseCall, or AttachToOpenCall when nothing was open).</summary>
    public static Call FromSignal(StoredSignal signal, TriageDecision decision, in TriageEnrichment enrichment)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return New(
            decision.IsTechnical ? CallKind.Technical : CallKind.Alarm,
            manual: false,
            decision.Priority,
            enrichment.ResidentId,
            signal.DeviceRef,
            enrichment.Zone,
            signal.EventType,
            signal.Id,
            decision.RuleName,
            decision.Reason,
            signal.ReceivedAt,
            Actor.System);
    }

    /// <summary>A call a handler raises for a resident (e.g. a phone call in, or a concern from a carer).</summary>
    public static Call Manual(string residentId, string? zone, TriagePriority priority, string reason, Actor raisedBy, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(residentId);
        ArgumentNullException.ThrowIfNull(raisedBy);
        return New(CallKind.Alarm, manual: true, priority, residentId, null, zone, null, null, "manual", reason, at, raisedBy);
    }

    /// <summary>A call the gateway raises itself (a missed expected activity, a missed check-in).</summary>
    public static Call FromTimer(CallKind kind, string ruleName, string reason, TriagePriority priority, string? residentId, string? deviceRef, string? zone, string? eventType, DateTimeOffset at) =>
        New(kind, manual: false, priority, residentId, deviceRef, zone, eventType, null, ruleName, reason, at, Actor.System);

    private static Call New(
        CallKind kind, bool manual, TriagePriority priority, string? residentId, string? deviceRef, string? zone,
        string? eventType, long? signalId, string ruleName, string reason, DateTimeOffset at, Actor actor)
    {
        var entry = new CallTimelineEntry(0, at, actor, CallAction.Raise, CallState.Raised, CallState.Raised, reason);
        return new Call
        {
            Kind = kind,
            IsManual = manual,
            State = CallState.Raised,
            Priority = priority,
            ResidentId = residentId,
            DeviceRef = deviceRef,
            Zone = zone,
            EventType = eventType,
            TriggerSignalId = signalId,
            RuleName = ruleName,
            Reason = reason,
            RaisedAt = at,
            Version = 1,
            Timeline = [entry],
        };
    }
}
