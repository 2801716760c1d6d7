namespace Telecare.Protocols.Mqtt;

/// <summary>
/// Thrown by a broker handler that cannot take a message now (its store cannot commit, say). The message is not
/// acknowledged, so the client keeps it and sends it again; the connection is closed, on MQTT 5 with DISCONNECT
/// 0x89 Server busy and <see cref="Exception.Message"/> as the reason string, so the device can tell why.
/// </summary>
public sealed class MqttServerBusyException(string reason, Exception? inner = null) : Exception(reason, inner);
