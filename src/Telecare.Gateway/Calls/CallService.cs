using System.Globalization;
using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Store;
using Telecare.Core.Timers;
using Telecare.Core.Triage;
using Telecare.Gateway.Health;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Signals;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Coordinates Core's call state machine over the store. Every change to a call — a signal's triage, a person's
/// action, a timer — is one unit in the store's single writer, so changes are applied one at a time in commit order
/// (no gate of our own) and a signal, its triage and the call it raised or changed are one commit. The open calls
/// live in memory (<see cref="UnfinishedCalls"/>) and the registry too, so triage reads nothing from the disk; both
/// change when the batch commits, just before the consoles and the sources hear of it.
/// </summary>
public sealed partial class CallService(
    IStoreWriter writer,
    ICallStore store,
    ISignalStore signals,
    ITimerStore timerStore,
    CallDirectory directory,
    CompiledTriageRules rules,
    ICallNotifier notifier,
    SystemAlerts alerts,
    DeviceOutboxService devices,
    TimeProvider time,
    ILogger<CallService> logger) : ISignalTriage
{
    public const string TriageFailedAlert = "triage-failed";

    private readonly UnfinishedCalls _unfinished = new();
    private bool _started;

    /// <summary>Loads the open calls and finishes any signal left untriaged, as the first writer unit.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => writer.ExecuteAsync(unit =>
    {
        EnsureStarted(unit);
        return true;
    }, cancellationToken);

    public IReadOnlyList<Call> Unfinished() => _unfinished.Ordered();

    public Call? Get(long callId) => _unfinished.Get(callId);

    /// <summary>Triage of a signal the sink has just inserted (marked triaged), in the sink's own unit.</summary>
    public void TriageNew(IStoreUnit context, StoredSignal signal)
    {
        EnsureStarted(context);
        Triage(context, signal, storedAsTriaged: true);
    }

    /// <summary>Applies a person's action to a call. Throws <see cref="CallActionException"/> with the reason when refused.</summary>
    public Task<Call> ApplyAsync(long callId, CallCommand command, Action<IStoreUnit, Call>? alongside = null, CancellationToken cancellationToken = default) =>
        writer.ExecuteAsync(context =>
        {
            EnsureStarted(context);
            return Apply(context, callId, command, alongside);
        }, cancellationToken);

    /// <summary>A call a handler raises by hand (a phone call, an Emergency Card): same queue, timers and timeline.</summary>
    public Task<Call> RaiseManualAsync(long residentId, string? eventType, string note, Actor actor, CancellationToken cancellationToken = default)
    {
        var resident = directory.FindResident(residentId) ?? throw new CallActionException("not-found", $"Resident {residentId} does not exist.");
        var residentKey = residentId.ToString(CultureInfo.InvariantCulture);
        var priority = eventType is not null && EventTypes.IsKnown(eventType)
            ? rules.Triage(eventType, false, time.GetUtcNow(), new TriageEnrichment { DeviceKnown = true, ResidentId = residentKey, Zone = resident.ZoneName, ResidentFlags = resident.Flags }).Priority
            : TriagePriority.P2;
        var call = Call.Manual(residentKey, resident.ZoneName, priority, string.IsNullOrWhiteSpace(note) ? "raised by hand" : note, actor, time.GetUtcNow())
            with { EventType = eventType };
        return writer.ExecuteAsync(context =>
        {
            EnsureStarted(context);
            return Raise(context, call, resident.ZoneId);
        }, cancellationToken);
    }

    /// <summary>
    /// A wellbeing call for an expected activity that did not happen. The occurrence is recorded in the same unit as
    /// the call, so it is raised once, also across restarts. A resident who already has an open call on the queue gets
    /// the missed activity as a note on that call instead of a second call: the handler working it sees it there.
    /// </summary>
    /// <returns>The call raised, or the open call the note went on.</returns>
    public Task<Call> RaiseWellbeingAsync(DueTimer due, CancellationToken cancellationToken = default)
    {
        var residentId = long.Parse(due.ResidentId!, CultureInfo.InvariantCulture);
        var occurrence = due.Occurrence ?? due.DueAt;
        var zoneId = directory.FindResident(residentId)?.ZoneId;
        return writer.ExecuteAsync(context =>
        {
            EnsureStarted(context);
            void MarkRaised(long callId) => timerStore.MarkRaised(context, residentId, due.ExpectationName!, occurrence, callId);
            if (_unfinished.FindOpenStaged(due.ResidentId, null, c => !c.IsTechnical) is { } open)
            {
                var note = new CallCommand(CallAction.AddNote, Actor.System, time.GetUtcNow()) { Note = $"wellbeing: {due.Reason}", Priority = due.Priority };
                return Apply(context, open.Id, note, (_, call) => MarkRaised(call.Id));
            }

            var raised = Raise(context, due.ToWellbeingCall(), zoneId);
            MarkRaised(raised.Id);
            return raised;
        }, cancellationToken);
    }

    /// <summary>
    /// The first unit of the writer (and again after a batch that failed before committing it): the open calls as the
    /// store holds them, then the signals committed (and acknowledged) but not triaged before the last stop, in commit
    /// order, so nothing newer overtakes them. The registry is already loaded: the store does that when it opens.
    /// </summary>
    private void EnsureStarted(IStoreUnit context)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        context.OnRolledBack(() => _started = false);
        _unfinished.Reset(store.LoadUnfinished(context));
        var backlog = signals.LoadUntriaged(context);
        if (backlog.Count > 0)
        {
            LogCatchUp(logger, backlog.Count);
        }

        foreach (var signal in backlog)
        {
            Triage(context, signal, storedAsTriaged: false);
        }
    }

    /// <summary>
    /// Enrich from memory, decide, and raise or change a call. A rule or a call write that throws leaves the signal
    /// stored but untriaged (it is triaged again at the next start) and raises a critical alert; it never fails the
    /// signal's unit, so the source is still acknowledged and the rest of the batch goes on.
    /// </summary>
    private void Triage(IStoreUnit context, StoredSignal signal, bool storedAsTriaged)
    {
        Exception? error;
        try
        {
            error = TriageOrFail(context, signal, storedAsTriaged);
        }
        catch (Exception ex) when (!context.IsStoreFailure(ex))
        {
            error = ex;
        }

        if (error is not null)
        {
            if (storedAsTriaged)
            {
                signals.MarkUntriaged(context, signal.Id);
            }

            Failed(context, signal, error);
        }
    }

    public void Failed(IStoreUnit context, StoredSignal signal, Exception error)
    {
        LogTriageFailed(logger, error, signal.Id, signal.EventType, signal.DeviceRef);
        context.OnCommitted(() => alerts.Raise(TriageFailedAlert, SystemAlerts.Critical,
            $"Signal {signal.Id} ({signal.EventType} from {signal.DeviceRef}) could not be triaged; it is stored and will be triaged again at the next start. See the log."));
    }

    /// <summary>The error that left the signal untriaged, or null. Each write here is one statement or in a savepoint.</summary>
    private Exception? TriageOrFail(IStoreUnit context, StoredSignal signal, bool storedAsTriaged)
    {
        var device = directory.FindDevice(signal.DeviceRef);
        // A device checks in by sending anything; the gateway's own signals about it (a missed check-in) do not count.
        if (device is not null && signal.Source != SignalSource.Internal)
        {
            signals.CheckIn(context, device.Id, signal.ReceivedAt, signal.Battery);
        }

        var plan = Plan(signal, device);
        if (plan.Kind is CallPlanKind.RaiseCall or CallPlanKind.RaiseTicket or CallPlanKind.UpdateCall)
        {
            // The call's rows in a savepoint of their own: if writing them fails, the signal stays stored.
            return context.TrySavepoint(() => WritePlan(context, signal, device, plan, storedAsTriaged));
        }

        if (!storedAsTriaged)
        {
            signals.MarkTriaged(context, signal.Id, callId: null);
        }

        if (plan.Kind == CallPlanKind.ConfirmTest)
        {
            context.OnCommitted(() => LogTestConfirmed(logger, signal.DeviceRef, signal.EventType, signal.Id));
        }

        return null;
    }

    /// <summary>Triage proper, from memory only: the rules' decision and what it means for the resident's open call.</summary>
    private CallPlan Plan(StoredSignal signal, CallDirectory.DeviceInfo? device)
    {
        var residentId = device?.ResidentId?.ToString(CultureInfo.InvariantCulture);
        var openForResident = _unfinished.FindOpenStaged(residentId, signal.DeviceRef, c => !c.IsTechnical);
        var enrichment = new TriageEnrichment
        {
            DeviceKnown = device is not null,
            DeviceType = device?.Type,
            ResidentId = residentId,
            Zone = device?.ZoneName,
            ResidentFlags = device?.Flags,
            CallOpenForResident = openForResident is not null,
            TestMode = device?.TestMode ?? false,
        };
        var decision = rules.Triage(signal, enrichment);
        var open = decision.IsTechnical ? _unfinished.FindOpenStaged(null, signal.DeviceRef, c => c.IsTechnical) : openForResident;
        return CallPlanner.Plan(signal, decision, enrichment, open);
    }

    private void WritePlan(IStoreUnit context, StoredSignal signal, CallDirectory.DeviceInfo? device, CallPlan plan, bool storedAsTriaged)
    {
        if (plan.Kind is CallPlanKind.RaiseCall or CallPlanKind.RaiseTicket)
        {
            var raised = Raise(context, plan.NewCall!, device?.ZoneId);
            signals.MarkTriaged(context, signal.Id, raised.Id);
            return;
        }

        var applied = CallTransitions.TryApply(plan.Existing!, plan.Command!);
        if (!applied.Succeeded || !store.TryUpdate(context, applied.Call, applied.Entry))
        {
            // Never lose the alarm to a refused update: it stays stored and triaged, and the log says why.
            LogUpdateRefused(logger, signal.Id, plan.Existing!.Id, applied.Error?.ToString() ?? "version moved");
            if (!storedAsTriaged)
            {
                signals.MarkTriaged(context, signal.Id, callId: null);
            }

            return;
        }

        signals.MarkTriaged(context, signal.Id, applied.Call.Id);
        Changed(context, applied.Call);
    }

    private Call Apply(IStoreUnit context, long callId, CallCommand command, Action<IStoreUnit, Call>? alongside)
    {
        var current = _unfinished.GetStaged(callId) ?? throw new CallActionException("not-found", $"Call {callId} does not exist or is finished.");
        var applied = CallTransitions.TryApply(current, command);
        if (!applied.Succeeded)
        {
            throw new CallActionException(applied.Error.Code, applied.Error.Reason);
        }

        if (!store.TryUpdate(context, applied.Call, applied.Entry))
        {
            throw new CallActionException("conflict", $"Call {callId} changed at the same moment; try again.");
        }

        alongside?.Invoke(context, applied.Call);
        // Queued, not awaited: the device hears "answered" or "responder on the way" without slowing the action.
        context.OnCommitted(() => devices.CallChanged(current, command, applied.Call));
        Changed(context, applied.Call);
        return applied.Call;
    }

    /// <summary>A new call stored in the unit; the consoles hear of it after the commit.</summary>
    private Call Raise(IStoreUnit context, Call call, long? zoneId)
    {
        var raised = call with { Id = store.Insert(context, call, zoneId) };
        _unfinished.Stage(context, raised);
        context.OnCommitted(() =>
        {
            if (raised.IsTechnical)
            {
                notifier.TicketRaised(raised);
            }
            else
            {
                notifier.CallRaised(raised);
            }
        });
        return raised;
    }

    private void Changed(IStoreUnit context, Call call)
    {
        _unfinished.Stage(context, call);
        context.OnCommitted(() =>
        {
            if (call.State is CallState.Closed or CallState.Cancelled)
            {
                notifier.CallClosed(call);
            }
            else
            {
                notifier.CallUpdated(call, call.Timeline[^1]);
            }
        });
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Signal {SignalId} could not update call {CallId}: {Reason}")]
    private static partial void LogUpdateRefused(ILogger logger, long signalId, long callId, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Test confirmation: {DeviceRef} sent {EventType} (signal {SignalId}) in test mode; no live call")]
    private static partial void LogTestConfirmed(ILogger logger, string deviceRef, string eventType, long signalId);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Finishing triage of {Count} signal(s) committed before the last stop")]
    private static partial void LogCatchUp(ILogger logger, int count);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Critical, Message = "Triage failed for signal {SignalId} ({EventType} from {DeviceRef}); it stays stored and untriaged")]
    private static partial void LogTriageFailed(ILogger logger, Exception exception, long signalId, string eventType, string deviceRef);
}
