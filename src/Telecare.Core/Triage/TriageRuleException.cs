namespace Telecare.Core.Triage;

/// <summary>A triage rule that cannot be compiled. The message names the rule and the field.</summary>
public sealed class TriageRuleException : Exception
{
    public TriageRuleException(string? ruleName, string field, string message)
        : base(message)
    {
        RuleName = ruleName;
        Field = field;
    }

    public string? RuleName { get; }

    /// <summary>Configuration path of the bad field, e.g. "Triage:Rules:3:TimeWindow".</summary>
    public string Field { get; }
}
