using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Calls;

/// <summary>Section "Calls": the answer targets the console clock colours by (TEC Quality Standards: 60 s and 180 s).</summary>
public sealed class CallOptions
{
    public const string Section = "Calls";

    [Range(1, 3600)]
    public int AnswerWarnSeconds { get; set; } = 60;

    [Range(1, 7200)]
    public int AnswerEscalateSeconds { get; set; } = 180;

    /// <summary>A responder who has not accepted an offer by then is reported, so another can be suggested.</summary>
    [Range(1, 24 * 60)]
    public int ResponderAcceptMinutes { get; set; } = 5;

    /// <summary>Attendance target where a zone does not set its own (zones.attendance_target_minutes).</summary>
    [Range(1, 24 * 60)]
    public int AttendanceMinutes { get; set; } = 45;

    /// <summary>Grace after a device's check-in interval before it is reported offline.</summary>
    [Range(0, 3600)]
    public int CheckInToleranceSeconds { get; set; } = 30;
}
