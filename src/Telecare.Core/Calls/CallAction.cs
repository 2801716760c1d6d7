namespace Telecare.Core.Calls;

/// <summary>Everything that can happen to a call. Each one is checked against the table in <see cref="CallTransitions"/>.</summary>
public enum CallAction
{
    Raise = 1,

    /// <summary>A handler claims the call (exactly one wins).</summary>
    Answer,
    AssignResponder,
    Accept,
    Decline,
    EnRoute,
    Arrive,

    /// <summary>The responder leaves the home: stamps the departure, no state change.</summary>
    Leave,

    /// <summary>Finished, with an outcome code. From OnScene this is the responder's Complete(outcome).</summary>
    Resolve,
    Close,

    /// <summary>Withdrawn before anyone is on scene (raised in error, or a rule says no call-back is needed).</summary>
    Cancel,

    /// <summary>A pendant.cancel or restore: marks the call, which stays open for the wellbeing call-back.</summary>
    MarkCancelledByResident,
    AttachSignal,
    AddNote,
    MarkEmergencyServicesCalled,

    /// <summary>A timer target passed (answer, accept, attendance); recorded once per breach.</summary>
    RecordBreach,
}
