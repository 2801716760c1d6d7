using Telecare.Core.Signals;
using Telecare.Core.Store;
using Telecare.Gateway.Store.ReadModels;

namespace Telecare.Gateway.Store;

/// <summary>Rows of the signals table: the sink's insert and dedupe look-up, and triage's marks. Times are Unix ms.</summary>
public sealed class SqliteSignalStore(RegistryChangeTracker registry) : ISignalStore
{
    /// <summary>Stores a signal with its raw frame; <paramref name="triaged"/> says whether triage will run in this same unit.</summary>
    public long Insert(IStoreUnit unit, IncomingSignal signal, ReadOnlySpan<byte> frameHash, DateTimeOffset receivedAt, bool triaged) =>
        ((WriteContext)unit).Statement("""
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
            .Bind(8, receivedAt.ToUnixTimeMilliseconds())
            .Bind(9, signal.Battery)
            .Bind(10, signal.Zone)
            .Bind(11, signal.DataJson)
            .Bind(12, signal.RawFrame.Span)
            .Bind(13, signal.RejectionReason)
            .Bind(14, triaged)
            .Insert();

    /// <summary>
    /// The earlier copy of a retry: by (source, device, sequence) where the source numbers its signals, else by the raw
    /// frame's hash since <paramref name="since"/>.
    /// </summary>
    public SignalReceipt? FindEarlier(IStoreUnit unit, IncomingSignal signal, ReadOnlySpan<byte> frameHash, DateTimeOffset since)
    {
        var context = (WriteContext)unit;
        var query = signal.Sequence is { } sequence
            ? context.Statement("SELECT id, received_at FROM signals WHERE source = ?1 AND device_ref = ?2 AND sequence = ?3").Bind(3, sequence)
            : context.Statement("""
                SELECT id, received_at FROM signals
                WHERE frame_hash = ?3 AND received_at >= ?4 AND sequence IS NULL AND source = ?1 AND device_ref = ?2
                ORDER BY id LIMIT 1
                """).Bind(3, frameHash).Bind(4, since.ToUnixTimeMilliseconds());
        return query.Bind(1, (long)signal.Source).Bind(2, signal.DeviceRef).TryReadFirst(out var id, out var receivedMs)
            ? new SignalReceipt(id, DateTimeOffset.FromUnixTimeMilliseconds(receivedMs), Duplicate: true)
            : null;
    }

    /// <summary>Signals committed but not triaged (acknowledged before a stop, or whose triage failed): finish them.</summary>
    public IReadOnlyList<StoredSignal> LoadUntriaged(IStoreUnit unit)
    {
        using var command = ((WriteContext)unit).Command("""
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
    public void CheckIn(IStoreUnit unit, long deviceId, DateTimeOffset at, int? battery)
    {
        // Check-in time and battery are not in the registry read model: not a registry change.
        using (registry.Quiet())
        {
            ((WriteContext)unit).Statement("UPDATE devices SET last_checkin_at = MAX(IFNULL(last_checkin_at, 0), ?1), battery = COALESCE(?2, battery) WHERE id = ?3")
                .Bind(1, at.ToUnixTimeMilliseconds())
                .Bind(2, battery)
                .Bind(3, deviceId)
                .Execute();
        }
    }

    public void MarkTriaged(IStoreUnit unit, long signalId, long? callId) =>
        ((WriteContext)unit).Statement("UPDATE signals SET triaged = 1, call_id = COALESCE(?2, call_id) WHERE id = ?1").Bind(1, signalId).Bind(2, callId).Execute();

    /// <summary>Triage failed: the signal stays for the next start's catch-up.</summary>
    public void MarkUntriaged(IStoreUnit unit, long signalId) =>
        ((WriteContext)unit).Statement("UPDATE signals SET triaged = 0 WHERE id = ?1").Bind(1, signalId).Execute();
}
