namespace Telecare.Core.Calls;

/// <summary>Where a call is in its life. The allowed moves are in <see cref="CallTransitions"/> and README.md.</summary>
public enum CallState
{
    Raised = 1,
    Answered = 2,
    ResponderAssigned = 3,
    ResponderAccepted = 4,
    EnRoute = 5,
    OnScene = 6,
    Resolved = 7,
    Closed = 8,
    Cancelled = 9,
}
