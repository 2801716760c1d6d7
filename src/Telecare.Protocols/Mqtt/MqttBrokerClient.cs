using System.Net;

namespace Telecare.Protocols.Mqtt;

/// <summary>One connected client as the application sees it.</summary>
public sealed class MqttBrokerClient
{
    internal MqttBrokerClient(string clientId, string? username, MqttProtocolVersion protocolVersion, EndPoint? remoteEndPoint, object? state, DateTimeOffset connectedAt)
    {
        ClientId = clientId;
        Username = username;
        ProtocolVersion = protocolVersion;
        RemoteEndPoint = remoteEndPoint;
        State = state;
        ConnectedAt = connectedAt;
    }

    public string ClientId { get; }
    public string? Username { get; }
    public MqttProtocolVersion ProtocolVersion { get; }
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Whatever <see cref="MqttConnectResult.State"/> the handler returned at CONNECT.</summary>
    public object? State { get; }
    public DateTimeOffset ConnectedAt { get; }

    public override string ToString() => $"{ClientId} ({RemoteEndPoint})";
}
