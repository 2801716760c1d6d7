using Telecare.Core.Signals;

namespace Telecare.Core.History;

/// <summary>A signal linked to a call.</summary>
public sealed record CallSignal(long Id, string DeviceRef, string EventType, bool Restore, DateTimeOffset ReceivedAt, SignalSource Source);
