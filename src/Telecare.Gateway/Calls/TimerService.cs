using Microsoft.Extensions.Options;
using Telecare.Core.Calls;
using Telecare.Core.Registry;
using Telecare.Core.Signals;
using Telecare.Core.Timers;
using Telecare.Core.Triage;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Calls;

/// <summary>
/// The one loop for everything that happens because something did not: answer targets (warn, escalate), a responder
/// who has not accepted, attendance, devices that stopped checking in, and residents' expected activity that did not
/// happen (a wellbeing call). Its state is the store's (open calls, last
/// check-ins), so it carries on after a restart; every wait is on the injected clock.
/// </summary>
public sealed partial class TimerService(
    CallService calls,
    ISignalSink sink,
    ITimerStore store,
    IZoneStore zones,
    CompiledTriageRules rules,
    IOptions<CallOptions> options,
    ICallNotifier notifier,
    TimeProvider time,
    ILogger<TimerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    /// <summary>Silences already reported, by device and the check-in they follow: one report per silence.</summary>
    private readonly HashSet<(string Device, DateTimeOffset Since)> _reported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Each round reads the store; a round that fails (the store briefly unreadable) is logged and retried.
        await LoopPolicy.RunAsync(nameof(TimerService), RoundAsync, time, logger, stoppingToken);
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        var timers = new DueTimers(await CallTargets.LoadAsync(options.Value, zones, stoppingToken), rules.TimeZone, time);
        var watched = await store.WatchedResidentsAsync(time.GetUtcNow(), stoppingToken);
        var snapshot = new TimerSnapshot(calls.Unfinished(), await DevicesAsync(stoppingToken), [.. watched.Select(w => w.Activity)]);
        foreach (var due in timers.Collect(snapshot))
        {
            if (due.ResidentId is { } resident && due.ExpectationName is not null
                && watched.FirstOrDefault(w => w.Activity.ResidentId == resident) is { } rulesOf && due.DueAt < rulesOf.RulesSetAt)
            {
                // An occurrence that fell due before its rule was set (a 10:00 deadline set at 11:00) is not raised.
                continue;
            }

            try
            {
                await ActAsync(due, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTimerFailed(logger, ex, due.Kind, due.Reason);
            }
        }

        await timers.DelayUntilNextAsync(snapshot with { OpenCalls = calls.Unfinished(), Devices = await DevicesAsync(stoppingToken) }, MaxWait, stoppingToken);
    }

    private async Task ActAsync(DueTimer due, CancellationToken cancellationToken)
    {
        switch (due.Kind)
        {
            case DueTimerKind.DeviceCheckInMissed:
                var silence = (due.DeviceRef!, due.Occurrence ?? due.DueAt);
                if (_reported.Add(silence))
                {
                    LogDeviceSilent(logger, due.DeviceRef!, due.Reason);
                    try
                    {
                        await sink.SubmitAsync(due.ToOfflineSignal(), cancellationToken);
                    }
                    catch
                    {
                        // Not stored (the store cannot commit): not reported either, so the next round tries again.
                        _reported.Remove(silence);
                        throw;
                    }
                }

                break;
            case DueTimerKind.AnswerWarning or DueTimerKind.AnswerEscalation or DueTimerKind.ResponderAcceptOverdue or DueTimerKind.AttendanceOverdue:
                Call breached;
                try
                {
                    breached = await calls.ApplyAsync(due.CallId!.Value, due.ToBreachCommand(), cancellationToken: cancellationToken);
                }
                catch (CallActionException)
                {
                    // The call moved on (answered, closed) between the snapshot and now: nothing is breached.
                    return;
                }

                LogBreach(logger, breached.Id, TargetName(due.Kind));
                notifier.TargetBreached(breached, due);
                break;
            case DueTimerKind.NoMovementBy or DueTimerKind.OutOfBedTooLong:
                var call = await calls.RaiseWellbeingAsync(due, cancellationToken);
                LogWellbeing(logger, call.Id, due.Reason);
                break;
        }
    }

    /// <summary>The target a breach passed, as consoles name it.</summary>
    public static string TargetName(DueTimerKind kind) => kind switch
    {
        DueTimerKind.AnswerWarning => "answer-warn",
        DueTimerKind.AnswerEscalation => "answer-escalate",
        DueTimerKind.ResponderAcceptOverdue => "responder-accept",
        _ => "attendance",
    };

    /// <summary>Active devices with a check-in interval that have been heard from at least once, each marked if its silence is reported.</summary>
    private async ValueTask<List<DeviceCheckIn>> DevicesAsync(CancellationToken cancellationToken) =>
        [.. (await store.DeviceCheckInsAsync(cancellationToken)).Select(d => _reported.Contains((d.DeviceRef, d.LastCheckInAt)) ? d with { OfflineReported = true } : d)];

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Call {CallId}: target breached ({Target})")]
    private static partial void LogBreach(ILogger logger, long callId, string target);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Device {DeviceRef} missed its check-in: {Reason}")]
    private static partial void LogDeviceSilent(ILogger logger, string deviceRef, string reason);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Wellbeing concern on call {CallId} (raised, or noted on the resident's open call): {Reason}")]
    private static partial void LogWellbeing(ILogger logger, long callId, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Timer {Kind} could not be acted on: {Reason}")]
    private static partial void LogTimerFailed(ILogger logger, Exception exception, DueTimerKind kind, string reason);
}
