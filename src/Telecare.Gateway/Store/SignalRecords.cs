using Telecare.Core.Signals;

namespace Telecare.Gateway.Store;

/// <summary>Rows of the signals table: the sink's insert and dedupe look-up, and triage's marks. Times are Unix ms.</summary>
public static class SignalRecords
{
    /// <summary>Stores a signal with its raw frame; <paramref name="triaged"/> says whether triage will run in this same unit.</summary>
    public static long Insert(WriteContext context, IncomingSignal signal, byte[] frameHash, long receivedMs, bool triaged)
    {
        using var insert = context.Command("""
            INSERT INTO signals (source, device_ref, sequence, frame_hash, event_type, restore, device_time, received_at,
                                 battery, zone, data_json, raw_frame, rejection_reason, triaged)
            VALUES ($source, $device, $sequence, $hash, $event, $restore, $deviceTime, $received,
                    $battery, $zone, $data, $raw, $reason, $triaged)
            RETURNING id
            """);
        var p = insert.Parameters;
        p.AddWithValue("$source", (int)signal.Source);
        p.AddWithValue("$device", signal.DeviceRef);
        p.AddWithValue("$sequence", (object?)signal.Sequence ?? DBNull.Value);
        p.AddWithValue("$hash", frameHash);
        p.AddWithValue("$event", signal.EventType);
        p.AddWithValue("$restore", signal.Restore ? 1 : 0);
        p.AddWithValue("$deviceTime", (object?)signal.DeviceTime?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        p.AddWithValue("$received", receivedMs);
        p.AddWithValue("$battery", (object?)signal.Battery ?? DBNull.Value);
        p.AddWithValue("$zone", (object?)signal.Zone ?? DBNull.Value);
        p.AddWithValue("$data", (object?)signal.DataJson ?? DBNull.Value);
        p.AddWithValue("$raw", signal.RawFrame.ToArray());
        p.AddWithValue("$reason", (object?)signal.RejectionReason ?? DBNull.Value);
        p.AddWithValue("$triaged", triaged ? 1 : 0);
        return (long)insert.ExecuteScalar()!;
    }

    /// <summary>
    /// The earlier copy of a retry: by (source, device, sequence) where the source numbers its signals, else by the raw
    /// frame's hash since <paramref name="sinceMs"/>. Returns its id and receive time.
    /// </summary>
    public static (long Id, long ReceivedMs)? FindEarlier(WriteContext context, IncomingSignal signal, byte[] frameHash, long sinceMs)
    {
        using var query = signal.Sequence is not null
            ? context.Command("SELECT id, received_at FROM signals WHERE source = $source AND device_ref = $device AND sequence = $sequence")
            : context.Command("""
                SELECT id, received_at FROM signals
                WHERE frame_hash = $hash AND received_at >= $since AND source = $source AND device_ref = $device
                ORDER BY id LIMIT 1
                """);
        query.Parameters.AddWithValue("$source", (int)signal.Source);
        query.Parameters.AddWithValue("$device", signal.DeviceRef);
        if (signal.Sequence is { } sequence)
        {
            query.Parameters.AddWithValue("$sequence", sequence);
        }
        else
        {
            query.Parameters.AddWithValue("$hash", frameHash);
            query.Parameters.AddWithValue("$since", sinceMs);
        }

        using var reader = query.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
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
    public static void CheckIn(WriteContext context, long deviceId, StoredSignal signal)
    {
        using var checkin = context.Command(
            "UPDATE devices SET last_checkin_at = MAX(IFNULL(last_checkin_at, 0), $at), battery = COALESCE($battery, battery) WHERE id = $id");
        checkin.Parameters.AddWithValue("$at", signal.ReceivedAt.ToUnixTimeMilliseconds());
        checkin.Parameters.AddWithValue("$battery", (object?)signal.Battery ?? DBNull.Value);
        checkin.Parameters.AddWithValue("$id", deviceId);
        checkin.ExecuteNonQuery();
    }

    public static void MarkTriaged(WriteContext context, long signalId, long? callId)
    {
        using var command = context.Command("UPDATE signals SET triaged = 1, call_id = COALESCE($call, call_id) WHERE id = $id");
        command.Parameters.AddWithValue("$id", signalId);
        command.Parameters.AddWithValue("$call", (object?)callId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>The signal and the call it raised or changed.</summary>
    public static void LinkToCall(WriteContext context, long signalId, long callId) => MarkTriaged(context, signalId, callId);

    /// <summary>Triage failed: the signal stays for the next start's catch-up.</summary>
    public static void MarkUntriaged(WriteContext context, long signalId)
    {
        using var command = context.Command("UPDATE signals SET triaged = 0 WHERE id = $id");
        command.Parameters.AddWithValue("$id", signalId);
        command.ExecuteNonQuery();
    }
}
