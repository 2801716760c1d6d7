using Telecare.Core.Signals;

namespace Telecare.Gateway.Store;

/// <summary>Rows of the signals table: the sink's insert and dedupe look-up, and triage's marks. Times are Unix ms.</summary>
public static class SignalRecords
{
    /// <summary>Stores a signal with its raw frame; <paramref name="triaged"/> says whether triage will run in this same unit.</summary>
    public static long Insert(WriteContext context, IncomingSignal signal, ReadOnlySpan<byte> frameHash, long receivedMs, bool triaged) =>
        context.Statement("""
            INSERT INTO signals (source, device_ref, sequence, frame_hash, event_type, restore, device_time, received_at,
                                 battery, zone, data_json, raw_frame, rejection_reason, triaged)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            """)
            .Bind(1, (long)signal.Source)
            .Bind(2, signal.DeviceRef)
            .Bind(3, signal.Sequence)
            .Bind(4, frameHash)
            .Bind(5, signal.EventType)
            .Bind(6, signal.Restore)
            .Bind(7, signal.DeviceTime)
            .Bind(8, receivedMs)
            .Bind(9, signal.Battery)
            .Bind(10, signal.Zone)
            .Bind(11, signal.DataJson)
            .Bind(12, signal.RawFrame.Span)
            .Bind(13, signal.RejectionReason)
            .Bind(14, triaged)
            .Insert();

    /// <summary>
    /// The earlier copy of a retry: by (source, device, sequence) where the source numbers its signals, else by the raw
    /// frame's hash since <paramref name="sinceMs"/>. Returns its id and receive time.
    /// </summary>
    public static (long Id, long ReceivedMs)? FindEarlier(WriteContext context, IncomingSignal signal, ReadOnlySpan<byte> frameHash, long sinceMs)
    {
        var query = signal.Sequence is { } sequence
            ? context.Statement("SELECT id, received_at FROM signals WHERE source = ?1 AND device_ref = ?2 AND sequence = ?3").Bind(3, sequence)
            : context.Statement("""
                SELECT id, received_at FROM signals
                WHERE frame_hash = ?3 AND received_at >= ?4 AND source = ?1 AND device_ref = ?2
                ORDER BY id LIMIT 1
                """).Bind(3, frameHash).Bind(4, sinceMs);
        return query.Bind(1, (long)signal.Source).Bind(2, signal.DeviceRef).TryReadFirst(out var id, out var receivedMs)
            ? (id, receivedMs)
            : null;
    }

    /// <summary>Signals committed but not triaged (acknowledged before a stop, or whose triage failed): finish them.</summary>
    public static List<StoredSignal> Untriaged(WriteContext context)
    {
        using var command = context.Command("""
            SELECT id, source, device_ref, event_type, restore, received_at, device_time, battery, zone, data_json
            FROM signals WHERE triaged = 0 AND rejection_reason IS NULL ORDER BY id
            """);
        using var r = command.ExecuteReader();
        var signals = new List<StoredSignal>();
        while (r.Read())
        {
            signals.Add(new StoredSignal(r.GetInt64(0), (SignalSource)r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetInt64(4) == 1,
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
                r.IsDBNull(7) ? null : (int)r.GetInt64(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9)));
        }

        return signals;
    }

    /// <summary>The device was heard from: its check-in time (never moved back) and battery.</summary>
    public static void CheckIn(WriteContext context, long deviceId, StoredSignal signal) =>
        context.Statement("UPDATE devices SET last_checkin_at = MAX(IFNULL(last_checkin_at, 0), ?1), battery = COALESCE(?2, battery) WHERE id = ?3")
            .Bind(1, signal.ReceivedAt.ToUnixTimeMilliseconds())
            .Bind(2, signal.Battery)
            .Bind(3, deviceId)
            .Execute();

    public static void MarkTriaged(WriteContext context, long signalId, long? callId) =>
        context.Statement("UPDATE signals SET triaged = 1, call_id = COALESCE(?2, call_id) WHERE id = ?1").Bind(1, signalId).Bind(2, callId).Execute();

    /// <summary>The signal and the call it raised or changed.</summary>
    public static void LinkToCall(WriteContext context, long signalId, long callId) => MarkTriaged(context, signalId, callId);

    /// <summary>Triage failed: the signal stays for the next start's catch-up.</summary>
    public static void MarkUntriaged(WriteContext context, long signalId) =>
        context.Statement("UPDATE signals SET triaged = 0 WHERE id = ?1").Bind(1, signalId).Execute();
}
