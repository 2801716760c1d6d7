using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>A line the computer acknowledged: its text (without framing), kind, and how many times it was sent.</summary>
public sealed record ReceiverLedgerEntry(string Text, ReceiverFrameKind Kind, int Transmissions, DateTimeOffset AcknowledgedAt);
