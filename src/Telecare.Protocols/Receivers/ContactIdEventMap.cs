using System.Collections.Frozen;

namespace Telecare.Protocols.Receivers;

/// <summary>
/// Contact ID event code to event name. Immutable; <see cref="With"/> layers overrides on a copy,
/// which is how a receiver or account gets its own vendor's meaning of a code.
/// An unknown code is not guessed: <see cref="TryMap(int, out string)"/> says false and the caller
/// raises it as it is (with the raw line), so nothing is silently dropped or mislabelled.
/// </summary>
public sealed class ContactIdEventMap
{
    private readonly FrozenDictionary<int, string> _codes;

    /// <summary>Builds a map from code/event-name pairs; codes are 0..999, names non-empty.</summary>
    public ContactIdEventMap(IEnumerable<KeyValuePair<int, string>> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var d = new Dictionary<int, string>();
        foreach (var (code, name) in codes)
        {
            Validate(code, name);
            d[code] = name;
        }

        _codes = d.ToFrozenDictionary();
    }

    /// <summary>
    /// The default table: every Contact ID code a telecare receiver sends, in the shared event vocabulary.
    /// </summary>
    public static ContactIdEventMap Default { get; } = new(new Dictionary<int, string>
    {
        [100] = "medical",
        [101] = "pendant.press",          // personal emergency
        [102] = "device.offline",         // fail to report in
        [110] = "smoke.alarm",            // fire: the vocabulary's fire alarm is smoke.alarm
        [111] = "smoke.alarm",
        [114] = "heat.alarm",
        [120] = "pendant.press",          // panic
        [121] = "pendant.press",          // duress
        [151] = "gas.alarm",
        [154] = "flood.alarm",            // water leakage
        [158] = "temperature.high",
        [159] = "temperature.low",
        [162] = "co.alarm",
        [301] = "device.mains-fail",      // AC loss
        [302] = "device.low-battery",     // low system battery
        [350] = "device.offline",         // communication trouble
        [381] = "device.offline",         // RF loss of supervision
        [383] = "device.tamper",
        [384] = "device.low-battery",     // RF low battery
        [391] = "inactivity",             // sensor watch: a sensor saw nothing for its period
        [602] = "device.test",            // periodic test
        [606] = "pendant.press",          // listen-in to follow: a voice call is coming and must be answered
        [641] = "inactivity",             // senior watch trouble
        [654] = "inactivity",             // system inactivity
    });

    /// <summary>
    /// The default table with one telecare hub vendor's meanings: 120 fall, 102 inactivity after a
    /// fall, 641 inactivity, 661/662/663 nurse arrived / help still needed / case closed.
    /// </summary>
    public static ContactIdEventMap TelecareHub { get; } = Default.With(new Dictionary<int, string>
    {
        [120] = "fall.detected",
        [102] = "inactivity",
        [641] = "inactivity",
        [661] = "carer.arrived",
        [662] = "pendant.press",
        [663] = "carer.left",
    });

    /// <summary>Built-in tables by name, for configuration (<c>default</c>, <c>telecare-hub</c>).</summary>
    public static IReadOnlyDictionary<string, ContactIdEventMap> BuiltIn { get; } =
        new Dictionary<string, ContactIdEventMap>(StringComparer.OrdinalIgnoreCase)
        {
            ["default"] = Default,
            ["telecare-hub"] = TelecareHub,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The codes this map knows.</summary>
    public IReadOnlyDictionary<int, string> Codes => _codes;

    /// <summary>A copy of this map with <paramref name="overrides"/> replacing or adding codes.</summary>
    public ContactIdEventMap With(IEnumerable<KeyValuePair<int, string>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var d = new Dictionary<int, string>(_codes);
        foreach (var (code, name) in overrides)
        {
            Validate(code, name);
            d[code] = name;
        }

        return new ContactIdEventMap(d);
    }

    /// <summary>The event name for a code, if this map knows it.</summary>
    public bool TryMap(int code, out string eventName) => _codes.TryGetValue(code, out eventName!);

    /// <summary>Translates a report: the name from the table, restore from the qualifier.</summary>
    public bool TryMap(int code, ContactIdQualifier qualifier, out ContactIdEvent result)
    {
        if (_codes.TryGetValue(code, out var name))
        {
            result = new ContactIdEvent(name, qualifier == ContactIdQualifier.Restore, code);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Translates a parsed report (see <see cref="TryMap(int, ContactIdQualifier, out ContactIdEvent)"/>).</summary>
    public bool TryMap(ContactIdReport report, out ContactIdEvent result) =>
        TryMap(report.EventCode, report.Qualifier, out result);

    private static void Validate(int code, string name)
    {
        if (code is < 0 or > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "a Contact ID event code is 0..999");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"the event name for code {code:000} is empty", nameof(name));
        }
    }
}
