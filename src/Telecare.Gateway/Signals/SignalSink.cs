using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Core.Store;

namespace Telecare.Gateway.Signals;

/// <summary>
/// The no-loss contract: a receipt only after the durable commit; duplicates recognised inside the single writer
/// (so two copies in one batch cannot both be stored); the raw frame always kept; rejected frames stored with their
/// reason. A new accepted signal is triaged in the same writer unit, so the signal, its triage and the call it raised
/// or changed are one commit, and the receipt means all of it is stored.
/// </summary>
public sealed class SignalSink(
    IStoreWriter writer,
    ISignalStore store,
    ISignalTriage triage,
    SignalMetrics metrics,
    IOptions<SignalOptions> options,
    TimeProvider time) : ISignalSink
{
    private readonly TimeSpan _dedupeWindow = TimeSpan.FromSeconds(options.Value.DedupeWindowSeconds);

    public async ValueTask<SignalReceipt> SubmitAsync(IncomingSignal signal, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        var hash = SHA256.HashData(signal.RawFrame.Span);
        var receipt = await writer.ExecuteSelfContainedAsync(unit => Store(unit, signal, hash, receivedAt), cancellationToken)
            .ConfigureAwait(false);
        metrics.Observe(signal.Source, signal.IsRejected, receipt.Duplicate, Stopwatch.GetElapsedTime(started));
        return receipt;
    }

    private SignalReceipt Store(IStoreUnit unit, IncomingSignal signal, byte[] hash, DateTimeOffset receivedAt)
    {
        // Stored at millisecond precision: the receipt says what the store holds.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(receivedAt.ToUnixTimeMilliseconds());
        if (store.FindEarlier(unit, signal, hash, at - _dedupeWindow) is { } earlier)
        {
            return earlier;
        }

        // One statement: if it throws, nothing was written.
        var id = store.Insert(unit, signal, hash, at, triaged: !signal.IsRejected);
        if (!signal.IsRejected)
        {
            var stored = new StoredSignal(id, signal.Source, signal.DeviceRef, signal.EventType, signal.Restore, at,
                signal.DeviceTime, signal.Battery, signal.Zone, signal.DataJson);
            try
            {
                triage.TriageNew(unit, stored);
            }
            catch (Exception ex) when (!unit.IsStoreFailure(ex))
            {
                // Triage handles its own failures; should one escape, the signal stays stored for the next start.
                store.MarkUntriaged(unit, id);
                triage.Failed(unit, stored, ex);
            }
        }

        return new SignalReceipt(id, at, Duplicate: false);
    }
}
