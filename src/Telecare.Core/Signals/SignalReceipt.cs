namespace Telecare.Core.Signals;

/// <summary>
/// Proof that a signal is durably stored. Sources acknowledge only once they hold one.
/// A duplicate gets the receipt of the first copy with <see cref="Duplicate"/> set.
/// </summary>
public readonly record struct SignalReceipt(long SignalId, DateTimeOffset ReceivedAt, bool Duplicate);
