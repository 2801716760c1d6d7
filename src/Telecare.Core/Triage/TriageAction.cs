namespace Telecare.Core.Triage;

/// <summary>What the gateway does with a triaged signal (the rule table is described in this project's README).</summary>
public enum TriageAction
{
    /// <summary>Put a new live call on the dispatch console.</summary>
    RaiseCall = 1,

    /// <summary>
    /// Add the signal to the resident's open call. If that call closed in the meantime the gateway
    /// raises a new call at the decision's priority rather than lose the alarm.
    /// </summary>
    AttachToOpenCall = 2,

    /// <summary>
    /// A cancel or restore: mark the resident's pending call "cancelled by resident" (it still needs a
    /// wellbeing call-back), or clear the device's pending technical ticket.
    /// </summary>
    CancelPending = 3,

    /// <summary>An equipment fault for supervisors, not a live alarm.</summary>
    TechnicalTicket = 4,

    /// <summary>History only.</summary>
    Record = 5,

    /// <summary>Dropped from the queue (kept in the signal store, which already holds every signal).</summary>
    Suppress = 6,

    /// <summary>
    /// Decision only, never configured: the device is in test mode, so the installer gets a confirmation
    /// and no live call is raised.
    /// </summary>
    TestConfirmation = 7,
}
