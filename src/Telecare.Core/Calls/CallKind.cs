namespace Telecare.Core.Calls;

public enum CallKind
{
    /// <summary>A resident's alarm (or a handler's manual call for a resident).</summary>
    Alarm = 1,

    /// <summary>Equipment: a fault ticket, or a call from a device nobody registered.</summary>
    Technical = 2,

    /// <summary>Raised by the gateway's own timers: expected activity that did not happen.</summary>
    Wellbeing = 3,
}
