using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Signals;

/// <summary>
/// The no-loss contract: a receipt only after the durable commit; duplicates recognised inside the single writer
/// (so two copies in one batch cannot both be stored); the raw frame always kept; rejected frames stored with their
/// reason. A new accepted signal is triaged in the same writer unit, so the signal, its triage and the call it raised
/// or changed are one commit, and the receipt means all of it is stored.
/// </summary>
public sealed class SignalSink(
    StoreWriter writer,
    ISignalTriage triage,
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
        return receipt;
    }

    private SignalReceipt Store(WriteContext context, IncomingSignal signal, byte[] hash, DateTimeOffset receivedAt)
    {
        var receivedMs = receivedAt.ToUnixTimeMilliseconds();
        if (SignalRecords.FindEarlier(context, signal, hash, receivedMs - _dedupeWindowMs) is { } earlier)
        {
            return new SignalReceipt(earlier.Id, DateTimeOffset.FromUnixTimeMilliseconds(earlier.ReceivedMs), Duplicate: true);
        }

        var id = SignalRecords.Insert(context, signal, hash, receivedMs, triaged: !signal.IsRejected);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(receivedMs);
        if (!signal.IsRejected)
        {
            triage.TriageNew(context, new StoredSignal(id, signal.Source, signal.DeviceRef, signal.EventType, signal.Restore, at,
                signal.DeviceTime, signal.Battery, signal.Zone, signal.DataJson));
        }

        return new SignalReceipt(id, at, Duplicate: false);
    }
}
