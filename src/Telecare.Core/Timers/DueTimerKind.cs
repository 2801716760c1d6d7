namespace Telecare.Core.Timers;

public enum DueTimerKind
{
    /// <summary>Call not answered by the warning target: highlight on the console.</summary>
    AnswerWarning = 1,

    /// <summary>Call not answered by the escalation target: tell supervisors.</summary>
    AnswerEscalation,

    /// <summary>Assigned responder has not accepted: suggest another.</summary>
    ResponderAcceptOverdue,

    /// <summary>No responder on scene within the zone's attendance target.</summary>
    AttendanceOverdue,

    /// <summary>A device missed its check-in: submit device.offline.</summary>
    DeviceCheckInMissed,

    /// <summary>Expected activity did not happen: raise a wellbeing call.</summary>
    NoMovementBy,

    /// <summary>Out of bed too long at night: raise a wellbeing call.</summary>
    OutOfBedTooLong,
}
