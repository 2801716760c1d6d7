namespace Telecare.Core.Triage;

/// <summary>The <c>Triage</c> section of appsettings.json.</summary>
public sealed class TriageOptions
{
    public const string SectionName = "Triage";

    /// <summary>IANA (or Windows) time zone id used for every rule's time window.</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>Evaluated in file order; the first rule that matches wins.</summary>
    public List<TriageRuleDefinition> Rules { get; set; } = [];
}
