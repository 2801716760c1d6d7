using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Devices;

/// <summary>An event on its way: the sequence number it carries, and its PUBACK (the gateway's durable receipt).</summary>
public sealed record DeviceEventPublish(long Seq, Task<MqttPublishResult> Acknowledged);
