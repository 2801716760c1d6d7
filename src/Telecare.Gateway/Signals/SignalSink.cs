using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Signals;

/// <summary>
/// The no-loss contract (DESIGN.md "The signal sink"): a receipt only after the durable commit; duplicates
/// recognised inside the single writer (so two copies in one batch cannot both be stored); the raw frame always
/// kept; rejected frames stored with their reason. Accepted new signals then go to triage.
/// </summary>
public sealed class SignalSink(
    StoreWriter writer,
    TriageQueue triage,
    SignalMetrics metrics,
    IOptions<SignalOptions> options,
    TimeProvider time) : ISignalSink
{
    private readonly long _dedupeWindowMs = options.Value.DedupeWindowSeconds * 1000L;

    public async ValueTask<SignalReceipt> SubmitAsync(IncomingSignal signal, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        var hash = SHA256.HashData(signal.RawFrame.Span);
        var receipt = await writer.ExecuteAsync(context => Store(context, signal, hash, receivedAt), cancellationToken)
            .ConfigureAwait(false);

        metrics.Observe(signal.Source, signal.IsRejected, receipt.Duplicate, Stopwatch.GetElapsedTime(started));
        if (!receipt.Duplicate && !signal.IsRejected)
        {
            var stored = new StoredSignal(receipt.SignalId, signal.Source, signal.DeviceRef, signal.EventType, signal.Restore,
                receipt.ReceivedAt, signal.DeviceTime, signal.Battery, signal.Zone, signal.DataJson);
            // The receipt is already earned; this only waits if triage is a whole queue behind.
            await triage.Writer.WriteAsync(stored, CancellationToken.None).ConfigureAwait(false);
        }

        return receipt;
    }

    private SignalReceipt Store(WriteContext context, IncomingSignal signal, byte[] hash, DateTimeOffset receivedAt)
    {
        var receivedMs = receivedAt.ToUnixTimeMilliseconds();
        var earlier = FindEarlier(context, signal, hash, receivedMs);
        if (earlier is { } found)
        {
            return found;
        }

        using var insert = context.Command("""
            INSERT INTO signals (source, device_ref, sequence, frame_hash, event_type, restore, device_time, received_at,
                                 battery, zone, data_json, raw_frame, rejection_reason)
            VALUES ($source, $device, $sequence, $hash, $event, $restore, $deviceTime, $received,
                    $battery, $zone, $data, $raw, $reason)
            RETURNING id
            """);
        var p = insert.Parameters;
        p.AddWithValue("$source", (int)signal.Source);
        p.AddWithValue("$device", signal.DeviceRef);
        p.AddWithValue("$sequence", (object?)signal.Sequence ?? DBNull.Value);
        p.AddWithValue("$hash", hash);
        p.AddWithValue("$event", signal.EventType);
        p.AddWithValue("$restore", signal.Restore ? 1 : 0);
        p.AddWithValue("$deviceTime", (object?)signal.DeviceTime?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        p.AddWithValue("$received", receivedMs);
        p.AddWithValue("$battery", (object?)signal.Battery ?? DBNull.Value);
        p.AddWithValue("$zone", (object?)signal.Zone ?? DBNull.Value);
        p.AddWithValue("$data", (object?)signal.DataJson ?? DBNull.Value);
        p.AddWithValue("$raw", signal.RawFrame.ToArray());
        p.AddWithValue("$reason", (object?)signal.RejectionReason ?? DBNull.Value);
        var id = (long)insert.ExecuteScalar()!;
        return new SignalReceipt(id, DateTimeOffset.FromUnixTimeMilliseconds(receivedMs), Duplicate: false);
    }

    private SignalReceipt? FindEarlier(WriteContext context, IncomingSignal signal, byte[] hash, long receivedMs)
    {
        using var query = signal.Sequence is { } sequence
            ? context.Command("SELECT id, received_at FROM signals WHERE source = $source AND device_ref = $device AND sequence = $sequence")
            : context.Command("""
                SELECT id, received_at FROM signals
                WHERE frame_hash = $hash AND received_at >= $since AND source = $source AND device_ref = $device
                ORDER BY id LIMIT 1
                """);
        query.Parameters.AddWithValue("$source", (int)signal.Source);
        query.Parameters.AddWithValue("$device", signal.DeviceRef);
        if (signal.Sequence is { } seq)
        {
            query.Parameters.AddWithValue("$sequence", seq);
        }
        else
        {
            query.Parameters.AddWithValue("$hash", hash);
            query.Parameters.AddWithValue("$since", receivedMs - _dedupeWindowMs);
        }

        using var reader = query.ExecuteReader();
        return reader.Read()
            ? new SignalReceipt(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), Duplicate: true)
            : null;
    }
}
