using System.ComponentModel.DataAnnotations;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.Gateway.Ingress.Serial;

/// <summary>Section "Serial": the alarm receivers wired to this machine's serial ports.</summary>
public sealed class SerialIngressOptions : IValidatableObject
{
    public const string Section = "Serial";

    public List<SerialReceiverOptions> Ports { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Ports.Count; i++)
        {
            var port = Ports[i];
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(port, new ValidationContext(port), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"Ports:{i}:{m}"));
            }

            if (!SerialPortSettings.SupportedBaudRates.Contains(port.BaudRate))
            {
                yield return new ValidationResult($"baud {port.BaudRate} is not supported", [$"Ports:{i}:BaudRate"]);
            }

            if (port.CodeMap is not null && !ContactIdEventMap.BuiltIn.ContainsKey(port.CodeMap))
            {
                yield return new ValidationResult(
                    $"unknown code map '{port.CodeMap}' (known: {string.Join(", ", ContactIdEventMap.BuiltIn.Keys)})", [$"Ports:{i}:CodeMap"]);
            }

            foreach (var code in port.CodeOverrides.Keys.Where(k => !int.TryParse(k, out var c) || c is < 0 or > 999))
            {
                yield return new ValidationResult($"override key '{code}' is not a Contact ID code (000-999)", [$"Ports:{i}:CodeOverrides"]);
            }
        }

        foreach (var duplicate in Ports.GroupBy(p => p.ReceiverId).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"receiver id '{duplicate.Key}' is used by more than one port", ["Ports"]);
        }
    }
}

/// <summary>One receiver on one serial port.</summary>
public sealed class SerialReceiverOptions
{
    /// <summary>Device path, e.g. /dev/ttyUSB0.</summary>
    [Required]
    public string Path { get; set; } = "";

    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,32}$")]
    public string ReceiverId { get; set; } = "rx1";

    public ReceiverDialect Dialect { get; set; } = ReceiverDialect.SurGardMlr2;

    public int BaudRate { get; set; } = 9600;

    [Range(7, 8)]
    public int DataBits { get; set; } = 8;

    public SerialParity Parity { get; set; } = SerialParity.None;

    public SerialStopBits StopBits { get; set; } = SerialStopBits.One;

    public bool RtsCts { get; set; }

    /// <summary>Silence after which the link is reported down (the receiver's heartbeat comes about every 30 s).</summary>
    [Range(1, 3600)]
    public double HeartbeatTimeoutSeconds { get; set; } = 90;

    /// <summary>Built-in code table: "default" or "telecare-hub".</summary>
    public string? CodeMap { get; set; } = "default";

    /// <summary>Per-port code overrides, e.g. { "120": "fall.detected" }.</summary>
    public Dictionary<string, string> CodeOverrides { get; set; } = [];

    [Range(64, 65536)]
    public int MaxLineLength { get; set; } = 512;

    [Range(0.05, 60)]
    public double ReopenMinSeconds { get; set; } = 1;

    [Range(0.05, 600)]
    public double ReopenMaxSeconds { get; set; } = 30;

    public SerialPortSettings ToSettings() => new()
    {
        Path = Path,
        BaudRate = BaudRate,
        DataBits = DataBits,
        Parity = Parity,
        StopBits = StopBits,
        RtsCts = RtsCts,
    };

    public ContactIdEventMap ToCodeMap()
    {
        var map = ContactIdEventMap.BuiltIn[CodeMap ?? "default"];
        return CodeOverrides.Count == 0
            ? map
            : map.With(CodeOverrides.Select(kv => new KeyValuePair<int, string>(int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), kv.Value)));
    }
}
