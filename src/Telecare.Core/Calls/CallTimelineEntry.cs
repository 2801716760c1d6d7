namespace Telecare.Core.Calls;

/// <summary>One line of a call's append-only timeline: what happened, who did it, when, and the state before and after.</summary>
public sealed record CallTimelineEntry(
    int Sequence,
    DateTimeOffset At,
    Actor Actor,
    CallAction Action,
    CallState From,
    CallState To,
    string? Detail);
