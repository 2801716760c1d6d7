using Telecare.Core.Registry;
using Telecare.Core.Timers;

namespace Telecare.Gateway.Calls;

/// <summary>The targets calls are held to: the configured ones, with each zone's own attendance target from the store.</summary>
internal static class CallTargets
{
    public static async ValueTask<TimerOptions> LoadAsync(CallOptions settings, IZoneStore zones, CancellationToken cancellationToken = default)
    {
        var targets = new TimerOptions
        {
            AnswerWarning = TimeSpan.FromSeconds(settings.AnswerWarnSeconds),
            AnswerEscalation = TimeSpan.FromSeconds(settings.AnswerEscalateSeconds),
            ResponderAccept = TimeSpan.FromMinutes(settings.ResponderAcceptMinutes),
            Attendance = TimeSpan.FromMinutes(settings.AttendanceMinutes),
            CheckInTolerance = TimeSpan.FromSeconds(settings.CheckInToleranceSeconds),
        };
        foreach (var zone in await zones.ListAsync(cancellationToken))
        {
            targets.AttendanceByZone[zone.Name] = TimeSpan.FromMinutes(zone.AttendanceTargetMinutes);
        }

        return targets;
    }
}
