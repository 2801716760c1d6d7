using Telecare.Core.Signals;

namespace Telecare.Core.Triage;

/// <summary>
/// Validates the configured rules and compiles them into <see cref="CompiledTriageRules"/> at start.
/// A bad rule stops the start with a <see cref="TriageRuleException"/> naming the rule and the field.
/// </summary>
public static class TriageRuleCompiler
{
    private static readonly TriageAction[] ConfigurableActions =
    [
        TriageAction.RaiseCall, TriageAction.AttachToOpenCall, TriageAction.CancelPending,
        TriageAction.TechnicalTicket, TriageAction.Record, TriageAction.Suppress,
    ];

    public static CompiledTriageRules Compile(TriageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timeZone = ResolveTimeZone(options.TimeZone);

        if (options.Rules is null || options.Rules.Count == 0)
        {
            throw new TriageRuleException(null, "Triage:Rules", "Triage:Rules is empty: at least one rule is required.");
        }

        var compiled = new List<CompiledTriageRule>(options.Rules.Count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = CompileOne(options.Rules[i], i);
            if (!names.Add(rule.Name))
            {
                throw Bad(rule.Name, i, "Name", $"the name '{rule.Name}' is used by an earlier rule; names must be unique because calls record them");
            }

            compiled.Add(rule);
        }

        var byEvent = new Dictionary<string, List<CompiledTriageRule>>(StringComparer.Ordinal);
        foreach (var rule in compiled)
        {
            foreach (var eventType in rule.Events)
            {
                if (!byEvent.TryGetValue(eventType, out var list))
                {
                    byEvent[eventType] = list = [];
                }

                list.Add(rule);
            }
        }

        var lookup = new Dictionary<string, CompiledTriageRule[]>(byEvent.Count, StringComparer.Ordinal);
        foreach (var (eventType, list) in byEvent)
        {
            lookup[eventType] = [.. list];
        }

        return new CompiledTriageRules(timeZone, compiled, lookup);
    }

    public static TimeZoneInfo ResolveTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new TriageRuleException(null, "Triage:TimeZone", "Triage:TimeZone is empty; use an IANA id such as \"Europe/London\".");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TriageRuleException(null, "Triage:TimeZone", $"Triage:TimeZone '{id}' is not a time zone this machine knows (is tzdata installed?): {ex.Message}");
        }
    }

    private static CompiledTriageRule CompileOne(TriageRuleDefinition? def, int index)
    {
        if (def is null)
        {
            throw Bad(null, index, "Name", "the rule is empty");
        }

        var name = def.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw Bad(null, index, "Name", "every rule needs a name (it is recorded on the call)");
        }

        if (def.Events is null || def.Events.Count == 0)
        {
            throw Bad(name, index, "Events", "at least one event type is required");
        }

        var events = new List<string>(def.Events.Count);
        foreach (var raw in def.Events)
        {
            var eventType = raw?.Trim() ?? "";
            if (!EventTypes.IsKnown(eventType))
            {
                throw Bad(name, index, "Events", $"'{raw}' is not a known event type; known: {string.Join(", ", EventTypes.All)}");
            }

            if (!events.Contains(eventType))
            {
                events.Add(eventType);
            }
        }

        var deviceTypes = NonEmpty(def.DeviceTypes, name, index, "DeviceTypes");
        var flags = NonEmpty(def.ResidentFlags, name, index, "ResidentFlags");
        var zones = NonEmpty(def.Zones, name, index, "Zones");

        var hasWindow = def.TimeWindow is not null;
        var window = default(LocalTimeWindow);
        if (hasWindow && !LocalTimeWindow.TryParse(def.TimeWindow, out window, out var windowReason))
        {
            throw Bad(name, index, "TimeWindow", windowReason);
        }

        var priority = ParsePriority(def.Priority, name, index);
        var action = ParseAction(def.Action, name, index);

        var what = $"{priority} {action}";
        var reason = $"Rule '{name}': {Describe(events, def, hasWindow, window)} -> {what}.";
        var raisesCall = action is TriageAction.RaiseCall or TriageAction.AttachToOpenCall;
        var unknownPriority = raisesCall ? priority : TriagePriority.P3;
        return new CompiledTriageRule
        {
            Name = name,
            Index = index,
            Priority = priority,
            Action = action,
            Events = [.. events],
            DeviceTypes = deviceTypes,
            ResidentFlags = flags,
            Zones = zones,
            HasWindow = hasWindow,
            Window = window,
            Restore = def.Restore,
            CallOpen = def.CallOpen,
            Reason = reason,
            TestModeReason = $"Device in test mode: rule '{name}' would have given {what}; confirmed to the installer, no live call.",
            UnknownDeviceReason = $"Unknown device: the sender is not registered to any resident. Rule '{name}' would have given {what}; raised as a technical call at {unknownPriority}.",
            UnknownDevicePriority = unknownPriority,
        };
    }

    private static string Describe(List<string> events, TriageRuleDefinition def, bool hasWindow, LocalTimeWindow window)
    {
        var parts = new List<string> { string.Join("/", events) };
        if (def.Restore is { } restore)
        {
            parts.Add(restore ? "restore" : "new condition");
        }

        if (def.CallOpen is { } open)
        {
            parts.Add(open ? "call already open" : "no open call");
        }

        if (def.DeviceTypes.Count > 0)
        {
            parts.Add("device " + string.Join("/", def.DeviceTypes));
        }

        if (def.ResidentFlags.Count > 0)
        {
            parts.Add("resident " + string.Join("+", def.ResidentFlags));
        }

        if (def.Zones.Count > 0)
        {
            parts.Add("zone " + string.Join("/", def.Zones));
        }

        if (hasWindow)
        {
            parts.Add("between " + window);
        }

        return string.Join(", ", parts);
    }

    private static string[] NonEmpty(List<string>? values, string name, int index, string field)
    {
        if (values is null || values.Count == 0)
        {
            return [];
        }

        var result = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i]?.Trim();
            if (string.IsNullOrEmpty(v))
            {
                throw Bad(name, index, field, $"entry {i} is empty");
            }

            result[i] = v;
        }

        return result;
    }

    private static TriagePriority ParsePriority(string? text, string name, int index)
    {
        var t = text?.Trim();
        if (t is { Length: 2 } && (t[0] == 'P' || t[0] == 'p') && t[1] is >= '1' and <= '5')
        {
            return (TriagePriority)(t[1] - '0');
        }

        throw Bad(name, index, "Priority", $"'{text}' is not a priority; use P1 (emergency) to P5 (information)");
    }

    private static TriageAction ParseAction(string? text, string name, int index)
    {
        var t = text?.Trim();
        foreach (var action in ConfigurableActions)
        {
            if (string.Equals(t, action.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return action;
            }
        }

        throw Bad(name, index, "Action", $"'{text}' is not an action; use one of {string.Join(", ", ConfigurableActions)}");
    }

    private static TriageRuleException Bad(string? name, int index, string field, string detail)
    {
        var path = $"Triage:Rules:{index}:{field}";
        var who = name is null ? $"Triage rule #{index}" : $"Triage rule '{name}' (#{index})";
        return new TriageRuleException(name, path, $"{who}, field {field} ({path}): {detail}.");
    }
}
