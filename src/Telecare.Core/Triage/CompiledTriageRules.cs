using Telecare.Core.Signals;

namespace Telecare.Core.Triage;

/// <summary>
/// Triage rules compiled by <see cref="TriageRuleCompiler"/>: a lookup by event type, then the rules for
/// that event in file order; the first whose predicates all hold wins. Immutable and thread-safe.
/// <see cref="Triage(string, bool, DateTimeOffset, in TriageEnrichment)"/> allocates nothing.
/// </summary>
public sealed class CompiledTriageRules
{
    public const string NoMatchingRuleName = "no-matching-rule";
    public const string TestModeRuleName = "test-mode";

    private const string NoMatchReason = "No triage rule matches this signal; raised as a call so a handler can judge it.";
    private const string NoMatchTestReason = "Device in test mode: no rule matches this signal; confirmed to the installer, no live call.";
    private const string NoMatchUnknownReason = "Unknown device: the sender is not registered and no rule matches the event; check the raw frame.";

    private readonly Dictionary<string, CompiledTriageRule[]> _byEvent;

    internal CompiledTriageRules(TimeZoneInfo timeZone, IReadOnlyList<CompiledTriageRule> rules, Dictionary<string, CompiledTriageRule[]> byEvent)
    {
        TimeZone = timeZone;
        Rules = rules;
        _byEvent = byEvent;
    }

    public TimeZoneInfo TimeZone { get; }

    internal IReadOnlyList<CompiledTriageRule> Rules { get; }

    /// <summary>Rule names in file order.</summary>
    public IEnumerable<string> RuleNames => Rules.Select(r => r.Name);

    /// <summary>Whether at least one rule names this event type.</summary>
    public bool Covers(string eventType) => _byEvent.ContainsKey(eventType);

    /// <summary>Vocabulary events no rule names (they would be raised as <see cref="NoMatchingRuleName"/> calls); worth a warning at start.</summary>
    public IReadOnlyList<string> UncoveredEvents => EventTypes.All.Where(e => !_byEvent.ContainsKey(e)).ToList();

    public TriageDecision Triage(StoredSignal signal, in TriageEnrichment enrichment) =>
        Triage(signal.EventType, signal.Restore, signal.ReceivedAt, in enrichment);

    /// <param name="at">When the gateway received the signal (its own clock, not the device's): time windows use it.</param>
    public TriageDecision Triage(string eventType, bool restore, DateTimeOffset at, in TriageEnrichment enrichment)
    {
        CompiledTriageRule? match = null;
        if (_byEvent.TryGetValue(eventType, out var candidates))
        {
            var localMinute = -1;
            for (var i = 0; i < candidates.Length; i++)
            {
                if (candidates[i].Matches(restore, in enrichment, at, TimeZone, ref localMinute))
                {
                    match = candidates[i];
                    break;
                }
            }
        }

        if (!enrichment.DeviceKnown)
        {
            // An unregistered sender still reaches a handler: as a technical call, at the alarm's own
            // priority when the rule would have raised a call (a press may still be a person on the floor).
            return match is null
                ? new TriageDecision(TriagePriority.P2, TriageAction.RaiseCall, NoMatchingRuleName, NoMatchUnknownReason, IsTechnical: true)
                : new TriageDecision(match.UnknownDevicePriority, TriageAction.RaiseCall, match.Name, match.UnknownDeviceReason, IsTechnical: true);
        }

        if (match is null)
        {
            return enrichment.TestMode
                ? new TriageDecision(TriagePriority.P5, TriageAction.TestConfirmation, TestModeRuleName, NoMatchTestReason, IsTechnical: false)
                : new TriageDecision(TriagePriority.P2, TriageAction.RaiseCall, NoMatchingRuleName, NoMatchReason, IsTechnical: false);
        }

        if (enrichment.TestMode && match.Action is not (TriageAction.Record or TriageAction.Suppress))
        {
            return new TriageDecision(TriagePriority.P5, TriageAction.TestConfirmation, match.Name, match.TestModeReason, IsTechnical: false);
        }

        return new TriageDecision(match.Priority, match.Action, match.Name, match.Reason, match.Action == TriageAction.TechnicalTicket);
    }
}
