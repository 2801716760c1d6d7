using Telecare.Core.Triage;

namespace Telecare.Core.Calls;

/// <summary>A request to change a call, as a hub method or a timer makes it. Fields beyond the first three depend on the action.</summary>
public sealed record CallCommand(CallAction Action, Actor Actor, DateTimeOffset At)
{
    /// <summary>AssignResponder: the responder.</summary>
    public string? ResponderId { get; init; }

    /// <summary>Resolve: an outcome code from the <see cref="CallOutcomeCatalog"/>.</summary>
    public string? Outcome { get; init; }

    /// <summary>Free text: the note, the cancel reason, which emergency service.</summary>
    public string? Note { get; init; }

    /// <summary>AttachSignal: the stored signal's id.</summary>
    public long? SignalId { get; init; }

    /// <summary>AttachSignal, AddNote: the signal's or the noted concern's priority; a more urgent one raises the call's priority.</summary>
    public TriagePriority? Priority { get; init; }

    /// <summary>RecordBreach: exactly one flag.</summary>
    public CallBreaches Breach { get; init; }
}
