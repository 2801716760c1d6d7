namespace Telecare.Protocols.Mqtt;

/// <summary>What a codec read produced.</summary>
public enum MqttReadStatus
{
    /// <summary>A whole packet was read and the buffer moved past it.</summary>
    Packet,

    /// <summary>The buffer holds only part of a packet; read more and try again.</summary>
    NeedMoreData,

    /// <summary>The bytes break the protocol; the connection must be closed (see the error).</summary>
    Malformed,
}

/// <summary>Why a packet was refused, with the MQTT 5 reason code a DISCONNECT should carry.</summary>
public readonly record struct MqttReadError(string Reason, MqttReasonCode ReasonCode)
{
    public override string ToString() => $"{Reason} (0x{(byte)ReasonCode:X2})";
}
