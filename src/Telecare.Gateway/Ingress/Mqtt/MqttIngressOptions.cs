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

    /// <summary>Section "Mqtt:Tls": the embedded broker's TLS listener.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Nested settings matter only in the mode that uses them; a half-filled section is harmless otherwise.
        var nested = Mode switch
        {
            EmbeddedMode => ValidateTls(),
            ExternalMode => ValidateExternal(),
            _ => [],
        };
        foreach (var result in nested)
        {
            yield return result;
        }
    }

    private IEnumerable<ValidationResult> ValidateTls()
    {
        if (!Tls.Enabled)
        {
            if (Tls.RequireTls)
            {
                yield return new ValidationResult("needs Tls:Enabled = true (otherwise no listener would be left)", ["Tls:RequireTls"]);
            }

            yield break;
        }

        foreach (var result in Nested(Tls, "Tls"))
        {
            yield return result;
        }

        if (!Tls.RequireTls && Tls.Port != 0 && Tls.Port == Port)
        {
            yield return new ValidationResult($"must differ from Mqtt:Port ({Port}) while the plain listener is on", ["Tls:Port"]);
        }

        // Read the files now so a wrong path, password or key stops the start with the setting named.
        MqttTlsFileException? problem = null;
        try
        {
            MqttTlsCertificate.Load(Tls).Dispose();
        }
        catch (MqttTlsFileException e)
        {
            problem = e;
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem.Problem, [$"Tls:{problem.Setting}"]);
        }
    }

    private IEnumerable<ValidationResult> ValidateExternal()
    {
        foreach (var result in Nested(External, "External"))
        {
            yield return result;
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

    private static IEnumerable<ValidationResult> Nested(object section, string name)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{name}:{m}")));
    }
}
