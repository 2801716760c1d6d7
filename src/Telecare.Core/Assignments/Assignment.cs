using Telecare.Core.Triage;

namespace Telecare.Core.Assignments;

/// <summary>
/// An assignment with what the responder needs of its call: priority, event, resident and the handlers' notes. The
/// times are the server's, one per tap.
/// </summary>
public sealed record Assignment(
    long Id, long CallId, long ResponderId, AssignmentState State, TriagePriority Priority, string EventType, long? ResidentId,
    DateTimeOffset AssignedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? EnRouteAt, DateTimeOffset? ArrivedAt, DateTimeOffset? LeftAt,
    DateTimeOffset? CompletedAt, string? Outcome, IReadOnlyList<string> HandlerNotes);
