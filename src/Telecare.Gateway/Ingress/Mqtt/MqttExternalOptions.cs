using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Section "Mqtt:External": the broker devices use when the gateway is one of its clients.</summary>
public sealed class MqttExternalOptions
{
    [Required(AllowEmptyStrings = false, ErrorMessage = "is required in External mode (the broker's host name or address)")]
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Must be unique per gateway: the broker keeps this gateway's session (and its queued messages) under it.</summary>
    [RegularExpression("^[A-Za-z0-9._:-]{1,128}$", ErrorMessage = "must be 1-128 letters, digits, '.', '_', ':' or '-'")]
    public string? ClientId { get; set; }

    public string? Username { get; set; }

    /// <summary>Sent in CONNECT only; never logged.</summary>
    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>PEM file with the CA(s) the broker's certificate must chain to; empty trusts the system store.</summary>
    public string? CaFile { get; set; }

    [Range(5, 3600)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>How long the broker keeps the gateway's session (subscriptions and queued messages) while it is away.</summary>
    [Range(60, 30 * 24 * 3600)]
    public int SessionExpirySeconds { get; set; } = 24 * 3600;

    /// <summary>Incoming QoS 1/2 messages the broker may have unacknowledged with this gateway (they are committed in groups).</summary>
    [Range(1, 1024)]
    public int ReceiveMaximum { get; set; } = 256;

    public string EffectiveClientId => string.IsNullOrEmpty(ClientId) ? $"telecare-gateway-{Environment.MachineName.ToLowerInvariant()}" : ClientId;
}
