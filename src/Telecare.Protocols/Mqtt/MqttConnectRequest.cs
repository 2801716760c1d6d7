using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Telecare.Protocols.Mqtt;

/// <summary>What a client presented at CONNECT. The password is never logged by the broker.</summary>
public sealed record MqttConnectRequest(
    string ClientId,
    string? Username,
    ReadOnlyMemory<byte>? Password,
    MqttProtocolVersion ProtocolVersion,
    bool CleanStart,
    EndPoint? RemoteEndPoint)
{
    public X509Certificate? ClientCertificate { get; init; }
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}
