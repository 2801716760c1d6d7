namespace Telecare.Gateway.Health;

/// <summary>Severity: "warning" or "critical"; Code e.g. "store-unavailable", "triage-failed"; Cleared when it is over.</summary>
public sealed record SystemAlertView(string Code, string Severity, string Message, DateTimeOffset At, bool Cleared);
