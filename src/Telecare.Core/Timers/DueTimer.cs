using System.Text;
using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Timers;

/// <summary>
/// Something whose time has come. What the gateway does with it depends on <see cref="Kind"/>: a call
/// breach (<see cref="Breach"/>) is recorded with <see cref="CallTransitions"/> and pushed as
/// TargetBreached; a missed check-in becomes a device.offline signal (<see cref="ToOfflineSignal"/>);
/// a missed expected activity becomes a wellbeing call (<see cref="ToWellbeingCall"/>).
/// </summary>
public sealed record DueTimer(
    DueTimerKind Kind,
    DateTimeOffset DueAt,
    string Reason,
    long? CallId = null,
    string? DeviceRef = null,
    string? ResidentId = null,
    string? Zone = null,
    string? ExpectationName = null,
    DateTimeOffset? Occurrence = null,
    TriagePriority Priority = TriagePriority.P2)
{
    /// <summary>The call breach to record, for the call kinds; None otherwise.</summary>
    public CallBreaches Breach => Kind switch
    {
        DueTimerKind.AnswerWarning => CallBreaches.AnswerWarning,
        DueTimerKind.AnswerEscalation => CallBreaches.AnswerEscalation,
        DueTimerKind.ResponderAcceptOverdue => CallBreaches.ResponderAccept,
        DueTimerKind.AttendanceOverdue => CallBreaches.Attendance,
        _ => CallBreaches.None,
    };

    public CallCommand ToBreachCommand() =>
        Breach == CallBreaches.None
            ? throw new InvalidOperationException($"{Kind} is not a call breach")
            : new CallCommand(CallAction.RecordBreach, Actor.System, DueAt) { Breach = Breach, Note = Reason };

    /// <summary>
    /// The device.offline signal to submit through the sink, so it is stored and triaged like any other.
    /// The raw frame names the silence it reports, so a retry after a crash dedupes to the same signal.
    /// </summary>
    public IncomingSignal ToOfflineSignal() =>
        Kind != DueTimerKind.DeviceCheckInMissed || DeviceRef is null
            ? throw new InvalidOperationException($"{Kind} is not a missed check-in")
            : new IncomingSignal
            {
                Source = SignalSource.Internal,
                DeviceRef = DeviceRef,
                EventType = EventTypes.DeviceOffline,
                DeviceTime = DueAt,
                RawFrame = Encoding.UTF8.GetBytes($"check-in missed: {DeviceRef} silent since {Occurrence:O}"),
            };

    public Call ToWellbeingCall() =>
        Kind is not (DueTimerKind.NoMovementBy or DueTimerKind.OutOfBedTooLong) || ExpectationName is null
            ? throw new InvalidOperationException($"{Kind} is not an expected-activity timer")
            : Call.FromTimer(
                CallKind.Wellbeing,
                ExpectationName,
                Reason,
                Priority,
                ResidentId,
                deviceRef: null,
                Zone,
                Kind == DueTimerKind.NoMovementBy ? EventTypes.Inactivity : EventTypes.BedAbsent,
                DueAt);
}
