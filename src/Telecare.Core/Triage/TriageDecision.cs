namespace Telecare.Core.Triage;

/// <summary>
/// The outcome of triage for one signal. <see cref="RuleName"/> is recorded on the call; <see cref="Reason"/>
/// is shown to the handler. <see cref="IsTechnical"/> marks a call about equipment rather than a person,
/// including every call from an unknown device.
/// </summary>
public readonly record struct TriageDecision(
    TriagePriority Priority,
    TriageAction Action,
    string RuleName,
    string Reason,
    bool IsTechnical)
{
    /// <summary>True when a new call or ticket may appear on a console.</summary>
    public bool RaisesSomething => Action is TriageAction.RaiseCall or TriageAction.AttachToOpenCall or TriageAction.TechnicalTicket;
}
