using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Section "Mqtt": how devices reach the gateway over MQTT.</summary>
public sealed class MqttIngressOptions : IValidatableObject
{
    public const string Section = "Mqtt";

    public const string EmbeddedMode = "Embedded";

    public const string ExternalMode = "External";

    public const string OffMode = "Off";

    /// <summary>"Embedded" (the gateway is the broker), "External" (a client of another broker, see <see cref="External"/>) or "Off".</summary>
    [RegularExpression("^(Embedded|External|Off)$", ErrorMessage = "must be Embedded, External or Off")]
    public string Mode { get; set; } = EmbeddedMode;

    /// <summary>TCP port of the embedded broker; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Address the embedded broker listens on.</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>Devices connected at once (after CONNECT); one more is refused as busy and logged.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 25_000;

    /// <summary>Sockets still before or in CONNECT; beyond this a new socket is closed at once (a connection flood).</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingConnections { get; set; } = 1000;

    /// <summary>A socket that has not completed CONNECT within this time is closed.</summary>
    [Range(1, 300)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Longest keep-alive allowed; a device asking for none (0) or longer is held to this (told so on MQTT 5), so a
    /// connection that goes silent, or stalls half-way through a packet, is always cut. 0 turns the cap off.
    /// </summary>
    [Range(0, 65_535)]
    public int MaxKeepAliveSeconds { get; set; } = 3600;

    /// <summary>Largest MQTT packet accepted (both modes).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxPacketSize { get; set; } = 64 * 1024;

    /// <summary>Anonymous clients, no ACL, any topic: for running general MQTT conformance suites only. Logged loudly.</summary>
    public bool ConformanceMode { get; set; }

    /// <summary>Section "Mqtt:External": the broker the gateway subscribes to in External mode.</summary>
    public MqttExternalOptions External { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != ExternalMode)
        {
            yield break;
        }

        // Nested settings matter only in External mode; a half-filled section is harmless otherwise.
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(External, new ValidationContext(External), results, validateAllProperties: true);
        foreach (var result in results)
        {
            yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"External:{m}"));
        }

        if (External.CaFile is { Length: > 0 } ca)
        {
            if (!External.UseTls)
            {
                yield return new ValidationResult("a CA file needs UseTls = true", ["External:CaFile"]);
            }
            else if (!File.Exists(ca))
            {
                yield return new ValidationResult($"file '{ca}' does not exist", ["External:CaFile"]);
            }
        }
    }
}
