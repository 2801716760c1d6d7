namespace Telecare.Core.Signals;

/// <summary>
/// The no-loss contract: every ingress ends here. <see cref="SubmitAsync"/> completes only after the signal
/// is committed to durable storage (or was already stored, as a duplicate). It waits when the queue is full;
/// it never drops. If the store cannot commit, it throws and the source must not be acknowledged.
/// </summary>
public interface ISignalSink
{
    ValueTask<SignalReceipt> SubmitAsync(IncomingSignal signal, CancellationToken cancellationToken = default);
}
