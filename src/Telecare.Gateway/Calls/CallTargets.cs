using Telecare.Core.Timers;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>The targets calls are held to: the configured ones, with each zone's own attendance target from the store.</summary>
internal static class CallTargets
{
    public static TimerOptions Load(CallOptions settings, SqliteConnectionFactory store)
    {
        var targets = new TimerOptions
        {
            AnswerWarning = TimeSpan.FromSeconds(settings.AnswerWarnSeconds),
            AnswerEscalation = TimeSpan.FromSeconds(settings.AnswerEscalateSeconds),
            ResponderAccept = TimeSpan.FromMinutes(settings.ResponderAcceptMinutes),
            Attendance = TimeSpan.FromMinutes(settings.AttendanceMinutes),
            CheckInTolerance = TimeSpan.FromSeconds(settings.CheckInToleranceSeconds),
        };
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, attendance_target_minutes FROM zones";
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            targets.AttendanceByZone[r.GetString(0)] = TimeSpan.FromMinutes(r.GetInt32(1));
        }

        return targets;
    }
}
