using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Telecare.Core.Calls;
using Telecare.Core.Signals;
using Telecare.Core.Timers;
using Telecare.Core.Triage;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// The one place calls change. Triage results and people's actions are applied one at a time (a gate), each as one
/// unit in the group-commit writer with an optimistic version check, and pushed to the consoles only after the commit.
/// Unfinished calls (not Closed or Cancelled) are kept in memory, rebuilt from the store at start.
/// </summary>
public sealed partial class CallService(
    StoreWriter writer,
    SqliteConnectionFactory store,
    CallDirectory directory,
    CompiledTriageRules rules,
    DispatchConsoles dispatch,
    DeviceOutboxService devices,
    TimeProvider time,
    ILogger<CallService> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly UnfinishedCalls _unfinished = new();

    public CallView ToView(Call call) => directory.ToView(call);

    /// <summary>Loads unfinished calls; called once at start, before triage begins.</summary>
    public void Load()
    {
        using var connection = store.OpenReader();
        _unfinished.Reset(CallRecords.LoadUnfinished(connection));
    }

    public IReadOnlyList<Call> Unfinished() => _unfinished.Ordered();

    public DispatchSnapshot Snapshot(int warnSeconds, int escalateSeconds)
    {
        var calls = Unfinished();
        return new DispatchSnapshot(
            [.. calls.Where(c => !c.IsTechnical).Select(directory.ToView)],
            [.. calls.Where(c => c.IsTechnical).Select(directory.ToView)],
            time.GetUtcNow(), warnSeconds, escalateSeconds);
    }

    /// <summary>Triage of one committed signal: enrich, decide, raise or update a call, mark the signal triaged.</summary>
    public Task TriageAsync(StoredSignal signal, CancellationToken cancellationToken) => TriageAsync([signal], cancellationToken);

    /// <summary>
    /// Triage of committed signals in commit order, as one unit in the writer: one fsync for a whole backlog instead
    /// of one per signal, so a burst reaches the consoles in milliseconds rather than queueing behind the disk. Each
    /// signal is planned against the calls as the earlier ones in the batch left them (a second press attaches to the
    /// call the first raised). Consoles hear of the calls only after the commit.
    /// </summary>
    public async Task TriageAsync(IReadOnlyList<StoredSignal> signals, CancellationToken cancellationToken)
    {
        // Enrichment reads the registry on a reader connection, outside the writer's turn.
        var devices = signals.Select(s => directory.FindDevice(s.DeviceRef)).ToList();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var results = await writer.ExecuteAsync(context =>
            {
                var changed = new Dictionary<long, Call>();
                var outcomes = new List<TriageOutcome>(signals.Count);
                for (var i = 0; i < signals.Count; i++)
                {
                    outcomes.Add(TriageOne(context, signals[i], devices[i], changed));
                }

                return outcomes;
            }, cancellationToken);

            foreach (var result in results)
            {
                if (result.Raised is { } raised)
                {
                    Remember(raised);
                    var view = directory.ToView(raised);
                    if (raised.IsTechnical)
                    {
                        dispatch.TicketRaised(view);
                    }
                    else
                    {
                        dispatch.CallRaised(view);
                    }
                }
                else if (result.Updated is { } updated)
                {
                    Publish(updated);
                }
                else if (result.TestConfirmed is { } test)
                {
                    LogTestConfirmed(logger, test.DeviceRef, test.EventType, test.Id);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private readonly record struct TriageOutcome(Call? Raised, Call? Updated, StoredSignal? TestConfirmed);

    /// <summary>One signal inside the writer's unit; <paramref name="changed"/> holds calls raised or moved earlier in the batch.</summary>
    private TriageOutcome TriageOne(WriteContext context, StoredSignal signal, CallDirectory.DeviceInfo? device, Dictionary<long, Call> changed)
    {
        var residentId = device?.ResidentId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var openForResident = _unfinished.FindOpen(residentId, signal.DeviceRef, c => !c.IsTechnical, changed);
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
        var open = decision.IsTechnical ? _unfinished.FindOpen(null, signal.DeviceRef, c => c.IsTechnical, changed) : openForResident;
        var plan = CallPlanner.Plan(signal, decision, enrichment, open);
        if (!MarkTriaged(context, signal, device))
        {
            return default;
        }

        switch (plan.Kind)
        {
            case CallPlanKind.RaiseCall or CallPlanKind.RaiseTicket:
                var call = plan.NewCall!;
                var id = CallRecords.Insert(context, call, device?.ZoneId);
                LinkSignal(context, signal.Id, id);
                var raised = call with { Id = id };
                changed[id] = raised;
                return new TriageOutcome(raised, null, null);
            case CallPlanKind.UpdateCall:
                var applied = CallTransitions.TryApply(plan.Existing!, plan.Command!);
                if (!applied.Succeeded || !CallRecords.TryUpdate(context, applied.Call, applied.Entry))
                {
                    // Never lose the alarm to a refused update: note it on the signal for the record.
                    LogUpdateRefused(logger, signal.Id, plan.Existing!.Id, applied.Error?.ToString() ?? "version moved");
                    return default;
                }

                LinkSignal(context, signal.Id, applied.Call.Id);
                changed[applied.Call.Id] = applied.Call;
                return new TriageOutcome(null, applied.Call, null);
            case CallPlanKind.ConfirmTest:
                return new TriageOutcome(null, null, signal);
            default:
                return default;
        }
    }

    /// <summary>Applies a person's action to a call. Throws <see cref="CallActionException"/> with the reason when refused.</summary>
    public async Task<Call> ApplyAsync(long callId, CallCommand command, Action<WriteContext, Call>? alongside = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = Get(callId) ?? throw new CallActionException("not-found", $"Call {callId} does not exist or is finished.");
            var applied = CallTransitions.TryApply(current, command);
            if (!applied.Succeeded)
            {
                throw new CallActionException(applied.Error.Code, applied.Error.Reason);
            }

            var saved = await writer.ExecuteAsync(context =>
            {
                if (!CallRecords.TryUpdate(context, applied.Call, applied.Entry))
                {
                    return false;
                }

                alongside?.Invoke(context, applied.Call);
                return true;
            }, cancellationToken);
            if (!saved)
            {
                throw new CallActionException("conflict", $"Call {callId} changed at the same moment; try again.");
            }

            // Queued, not awaited: the device hears "answered" or "responder on the way" without slowing the action.
            devices.CallChanged(current, command, applied.Call);
            Publish(applied.Call);
            return applied.Call;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A call a handler raises by hand (a phone call, an Emergency Card): same queue, timers and timeline.</summary>
    public async Task<Call> RaiseManualAsync(long residentId, string? eventType, string note, Actor actor, CancellationToken cancellationToken = default)
    {
        var resident = directory.FindResident(residentId) ?? throw new CallActionException("not-found", $"Resident {residentId} does not exist.");
        var priority = eventType is not null && EventTypes.IsKnown(eventType)
            ? rules.Triage(eventType, false, time.GetUtcNow(), new TriageEnrichment { DeviceKnown = true, ResidentId = residentId.ToString(System.Globalization.CultureInfo.InvariantCulture), Zone = resident.ZoneName, ResidentFlags = resident.Flags }).Priority
            : TriagePriority.P2;
        var call = Call.Manual(residentId.ToString(System.Globalization.CultureInfo.InvariantCulture), resident.ZoneName, priority,
            string.IsNullOrWhiteSpace(note) ? "raised by hand" : note, actor, time.GetUtcNow()) with { EventType = eventType };
        return await RaiseAsync(call, resident.ZoneId, alongside: null, cancellationToken);
    }

    /// <summary>
    /// A wellbeing call for an expected activity that did not happen. The occurrence is recorded in the same unit as
    /// the call, so it is raised once, also across restarts. A resident who already has an open call on the queue gets
    /// the missed activity as a note on that call instead of a second call: the handler working it sees it there.
    /// </summary>
    /// <returns>The call raised, or the open call the note went on.</returns>
    public async Task<Call> RaiseWellbeingAsync(DueTimer due, CancellationToken cancellationToken = default)
    {
        var residentId = long.Parse(due.ResidentId!, System.Globalization.CultureInfo.InvariantCulture);
        var occurrence = due.Occurrence ?? due.DueAt;
        if (_unfinished.FindOpen(due.ResidentId, null, c => !c.IsTechnical) is { } open)
        {
            var note = new CallCommand(CallAction.AddNote, Actor.System, time.GetUtcNow()) { Note = $"wellbeing: {due.Reason}", Priority = due.Priority };
            try
            {
                return await ApplyAsync(open.Id, note,
                    (context, call) => ExpectedActivityRecords.MarkRaised(context, residentId, due.ExpectationName!, occurrence, call.Id), cancellationToken);
            }
            catch (CallActionException)
            {
                // The open call was finished a moment ago: the missed activity gets a call of its own.
            }
        }

        var zoneId = directory.FindResident(residentId)?.ZoneId;
        return await RaiseAsync(due.ToWellbeingCall(), zoneId,
            (context, id) => ExpectedActivityRecords.MarkRaised(context, residentId, due.ExpectationName!, occurrence, id),
            cancellationToken);
    }

    /// <summary>A call raised outside triage: stored (with whatever belongs in the same unit), then announced to the consoles.</summary>
    private async Task<Call> RaiseAsync(Call call, long? zoneId, Action<WriteContext, long>? alongside, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var id = await writer.ExecuteAsync(context =>
            {
                var id = CallRecords.Insert(context, call, zoneId);
                alongside?.Invoke(context, id);
                return id;
            }, cancellationToken);
            var raised = call with { Id = id };
            Remember(raised);
            dispatch.CallRaised(directory.ToView(raised));
            return raised;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Call? Get(long callId) => _unfinished.Get(callId);

    internal void Publish(Call call)
    {
        Remember(call);
        var view = directory.ToView(call);
        if (call.State is CallState.Closed or CallState.Cancelled)
        {
            dispatch.CallClosed(new CallClosedView(call.Id, call.State.ToString(), call.Version));
        }
        else
        {
            dispatch.CallUpdated(view);
        }
    }

    private void Remember(Call call) => _unfinished.Remember(call);

    /// <summary>Marks the signal triaged (false if it already was: a restart's catch-up and the live queue may both hold it).</summary>
    private bool MarkTriaged(WriteContext context, StoredSignal signal, CallDirectory.DeviceInfo? device)
    {
        using (var mark = context.Command("UPDATE signals SET triaged = 1 WHERE id = $id AND triaged = 0"))
        {
            mark.Parameters.AddWithValue("$id", signal.Id);
            if (mark.ExecuteNonQuery() == 0)
            {
                return false;
            }
        }

        // A device checks in by sending anything; the gateway's own signals about it (a missed check-in) do not count.
        if (device is not null && signal.Source != SignalSource.Internal)
        {
            using var checkin = context.Command("UPDATE devices SET last_checkin_at = MAX(IFNULL(last_checkin_at, 0), $at), battery = COALESCE($battery, battery) WHERE id = $id");
            checkin.Parameters.AddWithValue("$at", signal.ReceivedAt.ToUnixTimeMilliseconds());
            checkin.Parameters.AddWithValue("$battery", (object?)signal.Battery ?? DBNull.Value);
            checkin.Parameters.AddWithValue("$id", device.Id);
            checkin.ExecuteNonQuery();
        }

        return true;
    }

    private static void LinkSignal(WriteContext context, long signalId, long callId)
    {
        using var link = context.Command("UPDATE signals SET call_id = $call WHERE id = $id");
        link.Parameters.AddWithValue("$call", callId);
        link.Parameters.AddWithValue("$id", signalId);
        link.ExecuteNonQuery();
    }

    /// <summary>Signals committed but not triaged when the gateway stopped (they were acknowledged: finish them).</summary>
    public List<StoredSignal> Untriaged()
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, source, device_ref, event_type, restore, received_at, device_time, battery, zone, data_json
            FROM signals WHERE triaged = 0 AND rejection_reason IS NULL ORDER BY id
            """;
        using var r = command.ExecuteReader();
        var signals = new List<StoredSignal>();
        while (r.Read())
        {
            signals.Add(new StoredSignal(r.GetInt64(0), (SignalSource)r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetInt64(4) == 1,
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.Time(6), (int?)r.Long(7), r.Str(8), r.Str(9)));
        }

        return signals;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Signal {SignalId} could not update call {CallId}: {Reason}")]
    private static partial void LogUpdateRefused(ILogger logger, long signalId, long callId, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Test confirmation: {DeviceRef} sent {EventType} (signal {SignalId}) in test mode; no live call")]
    private static partial void LogTestConfirmed(ILogger logger, string deviceRef, string eventType, long signalId);
}
