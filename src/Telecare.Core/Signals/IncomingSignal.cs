namespace Telecare.Core.Signals;

/// <summary>
/// A signal as an ingress hands it to the sink: already translated from its frame into the event
/// vocabulary, with the raw frame kept for the record. A frame that could not be understood is still
/// submitted, with <see cref="RejectionReason"/> set, so it is stored and counted rather than lost.
/// </summary>
public sealed record IncomingSignal
{
    public required SignalSource Source { get; init; }

    /// <summary>The source's identity for the sender: MQTT device id, or "receiver/account" for serial lines, or the HTTP caller's device id.</summary>
    public required string DeviceRef { get; init; }

    /// <summary>The sender's own counter where it has one (MQTT seq). Null means dedupe by raw-frame hash within a window.</summary>
    public long? Sequence { get; init; }

    /// <summary>Event vocabulary name (see <see cref="EventTypes"/>); empty when rejected.</summary>
    public string EventType { get; init; } = "";

    public bool Restore { get; init; }

    /// <summary>Time the device says the event happened; the gateway's own receive time is stamped by the sink.</summary>
    public DateTimeOffset? DeviceTime { get; init; }

    public int? Battery { get; init; }

    /// <summary>Zone or sensor number within the device/account where the source has one (Contact ID zone).</summary>
    public string? Zone { get; init; }

    /// <summary>Extra fields as JSON, kept as sent (unknown fields are never rejected).</summary>
    public string? DataJson { get; init; }

    /// <summary>Exactly the bytes that arrived.</summary>
    public required ReadOnlyMemory<byte> RawFrame { get; init; }

    /// <summary>Set when the frame was malformed: the reason is stored with the raw frame.</summary>
    public string? RejectionReason { get; init; }

    public bool IsRejected => RejectionReason is not null;
}
