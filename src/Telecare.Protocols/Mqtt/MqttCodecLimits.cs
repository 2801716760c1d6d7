namespace Telecare.Protocols.Mqtt;

/// <summary>
/// Bounds checked by the codec before it allocates anything, so a hostile length prefix
/// costs nothing. The defaults suit telecare devices (small JSON payloads).
/// </summary>
public sealed record MqttCodecLimits
{
    public static MqttCodecLimits Default { get; } = new();

    /// <summary>Largest accepted remaining length (the whole packet after the fixed header).</summary>
    public int MaxRemainingLength { get; init; } = 256 * 1024;

    /// <summary>Largest UTF-8 string or binary field, in bytes (the protocol allows 65,535).</summary>
    public int MaxStringLength { get; init; } = 4096;

    /// <summary>Most user properties in one packet.</summary>
    public int MaxUserProperties { get; init; } = 32;

    /// <summary>Most topic filters in one SUBSCRIBE or UNSUBSCRIBE.</summary>
    public int MaxTopicFiltersPerPacket { get; init; } = 64;
}
