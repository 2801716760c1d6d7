namespace Telecare.Core.Calls;

/// <summary>Targets a call has already been reported as missing, so the timers fire each one once.</summary>
[Flags]
public enum CallBreaches
{
    None = 0,
    AnswerWarning = 1,
    AnswerEscalation = 2,

    /// <summary>Cleared when a responder is (re)assigned: each assignment gets its own accept target.</summary>
    ResponderAccept = 4,
    Attendance = 8,
}
