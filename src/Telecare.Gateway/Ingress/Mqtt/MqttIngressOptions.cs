using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Section "Mqtt": the embedded broker devices connect to.</summary>
public sealed class MqttIngressOptions
{
    public const string Section = "Mqtt";

    /// <summary>"Embedded" (the gateway is the broker) or "Off". External mode (a client of another broker) is not wired yet.</summary>
    [RegularExpression("^(Embedded|Off)$", ErrorMessage = "must be Embedded or Off (External is not available yet)")]
    public string Mode { get; set; } = "Embedded";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Address to listen on.</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 25_000;

    [Range(1024, 16 * 1024 * 1024)]
    public int MaxPacketSize { get; set; } = 64 * 1024;

    /// <summary>Anonymous clients, no ACL, any topic: for running general MQTT conformance suites only. Logged loudly.</summary>
    public bool ConformanceMode { get; set; }
}
