namespace Telecare.Core.Calls;

/// <summary>How a call ended, as reported per outcome in the KPIs.</summary>
public sealed record CallOutcome(string Code, string Label, bool IsFalseAlarm = false);
