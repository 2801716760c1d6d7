namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// Sends a device its <c>telecare/v1/{deviceId}/ack</c> and retained <c>…/config</c>, whichever way the gateway reaches
/// MQTT devices: through its own broker (Embedded) or as a client of the devices' broker (External).
/// </summary>
public interface IDeviceNotifier
{
    /// <summary>Publishes at QoS 1; does nothing while the MQTT ingress is off or not started.</summary>
    Task PublishAckAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Publishes retained at QoS 1 (an empty payload removes it); does nothing while the MQTT ingress is off or not started.</summary>
    Task PublishConfigAsync(string deviceId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);
}
