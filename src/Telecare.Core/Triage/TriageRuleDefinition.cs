namespace Telecare.Core.Triage;

/// <summary>
/// One rule as written in configuration (<c>Triage:Rules</c>). Plain settable properties so the
/// configuration binder can fill it; <see cref="TriageRuleCompiler"/> validates it. Every predicate left
/// empty matches anything. Within a list (device types, zones) any entry matches; every listed resident
/// flag must be present on the resident.
/// </summary>
public sealed class TriageRuleDefinition
{
    public string? Name { get; set; }

    /// <summary>Event types (see <c>EventTypes</c>) this rule applies to. Required.</summary>
    public List<string> Events { get; set; } = [];

    public List<string> DeviceTypes { get; set; } = [];

    /// <summary>All of these flags must be set on the resident (e.g. "dementia", "falls-risk", "lives-alone").</summary>
    public List<string> ResidentFlags { get; set; } = [];

    /// <summary>Local time window such as "22:00-07:00", in <see cref="TriageOptions.TimeZone"/>.</summary>
    public string? TimeWindow { get; set; }

    /// <summary>The resident's zone (e.g. "Salisbury").</summary>
    public List<string> Zones { get; set; } = [];

    /// <summary>True: only restores; false: only new conditions; unset: both.</summary>
    public bool? Restore { get; set; }

    /// <summary>True: only while the resident has an open call; false: only when none is open; unset: both.</summary>
    public bool? CallOpen { get; set; }

    /// <summary>"P1" (emergency) to "P5" (information). Required.</summary>
    public string? Priority { get; set; }

    /// <summary>RaiseCall, AttachToOpenCall, CancelPending, TechnicalTicket, Record or Suppress. Required.</summary>
    public string? Action { get; set; }
}
