using Telecare.Gateway.Health;

namespace Telecare.Gateway.Calls;

// What the consoles and phones are sent (the payloads of both hubs). JSON is camelCase; times are ISO-8601 UTC; the pages depend on these
// shapes (src/Telecare.Gateway/wwwroot), so change them together.

/// <summary>A call or technical ticket as a console shows it in the queue.</summary>
public sealed record CallView
{
    public required long Id { get; init; }

    /// <summary>"alarm", "technical" or "wellbeing" (raised by an expected-activity rule).</summary>
    public required string Kind { get; init; }

    /// <summary>Raised, Answered, ResponderAssigned, ResponderAccepted, EnRoute, OnScene, Resolved, Closed, Cancelled.</summary>
    public required string State { get; init; }

    /// <summary>1 (P1 emergency) … 5 (P5 information).</summary>
    public required int Priority { get; init; }

    public required string EventType { get; init; }

    public string? Rule { get; init; }

    public bool Manual { get; init; }

    public string? Summary { get; init; }

    public long? ResidentId { get; init; }

    public string? ResidentName { get; init; }

    public string? Address { get; init; }

    public long? ZoneId { get; init; }

    public string? ZoneName { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    public string? DeviceId { get; init; }

    public string? DeviceType { get; init; }

    /// <summary>When the first signal was received: the answer clock runs from here.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public string? AnsweredBy { get; init; }

    public long? ResponderId { get; init; }

    public string? ResponderName { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }

    public DateTimeOffset? EnRouteAt { get; init; }

    public DateTimeOffset? OnSceneAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? Outcome { get; init; }

    public bool EmergencyServicesCalled { get; init; }

    public bool CancelledByResident { get; init; }

    /// <summary>Grows by one with every change; a console keeps the highest it has seen.</summary>
    public required int Version { get; init; }
}

public sealed record DispatchSnapshot(
    IReadOnlyList<CallView> Calls,
    IReadOnlyList<CallView> Tickets,
    DateTimeOffset ServerTime,
    int AnswerWarnSeconds,
    int AnswerEscalateSeconds)
{
    /// <summary>System alerts active now: a console that (re)connects during a fault shows it.</summary>
    public IReadOnlyList<SystemAlertView> Alerts { get; init; } = [];
}

public sealed record CallClosedView(long Id, string State, int Version);

/// <summary>Target: "answer-warn", "answer-escalate", "responder-accept" or "attendance".</summary>
public sealed record TargetBreachView(long CallId, string Target, DateTimeOffset At, string Message);

/// <summary>An assignment as the responder's phone shows it: only what is needed to get in and help.</summary>
public sealed record AssignmentView
{
    public required long Id { get; init; }

    public required long CallId { get; init; }

    /// <summary>Offered, Accepted, Declined, EnRoute, Arrived, Left, Completed, Withdrawn.</summary>
    public required string State { get; init; }

    public required int Priority { get; init; }

    public required string EventType { get; init; }

    public string? ResidentName { get; init; }

    public string? Address { get; init; }

    public string? Postcode { get; init; }

    /// <summary>Key-safe and access notes for the assigned responder only; every delivery is audited.</summary>
    public string? AccessDetails { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    public IReadOnlyList<string> HandlerNotes { get; init; } = [];

    public required DateTimeOffset AssignedAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }

    public DateTimeOffset? EnRouteAt { get; init; }

    public DateTimeOffset? ArrivedAt { get; init; }

    public DateTimeOffset? LeftAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? Outcome { get; init; }
}

public sealed record ResponderSnapshot(
    long ResponderId,
    string Name,
    bool OnDuty,
    IReadOnlyList<AssignmentView> Assignments,
    IReadOnlyList<string> OutcomeCodes,
    DateTimeOffset ServerTime);
