using Telecare.Core.Signals;
using Telecare.Core.Tests.Support;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Triage;

/// <summary>The rule set shipped in the root appsettings.json, bound the way the gateway binds it.</summary>
public sealed class DefaultTriageRulesTests
{
    private static readonly DateTimeOffset WinterNoon = new(2026, 1, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WinterNight = new(2026, 1, 14, 23, 30, 0, TimeSpan.Zero);

    // 21:30 UTC in July is 22:30 BST: night in London although not yet 22:00 UTC.
    private static readonly DateTimeOffset SummerLateEvening = new(2026, 7, 14, 21, 30, 0, TimeSpan.Zero);

    private static readonly TriageOptions Options = RepoFiles.DefaultTriageOptions();
    private static readonly CompiledTriageRules Rules = TriageRuleCompiler.Compile(Options);

    private static TriageEnrichment Known(bool callOpen = false, bool testMode = false, params string[] flags) => new()
    {
        DeviceKnown = true,
        DeviceType = "hub",
        ResidentId = "r1",
        Zone = "Salisbury",
        ResidentFlags = flags,
        CallOpenForResident = callOpen,
        TestMode = testMode,
    };

    public static TheoryData<string, string, bool, bool, string, string, string, TriagePriority, TriageAction> Expectations => new()
    {
        // case, event, restore, call open, flags, when, expected rule, priority, action
        { "press", EventTypes.PendantPress, false, false, "", "noon", "personal-alarm", TriagePriority.P1, TriageAction.RaiseCall },
        { "second press", EventTypes.PendantPress, false, true, "", "noon", "personal-alarm-while-call-open", TriagePriority.P1, TriageAction.AttachToOpenCall },
        { "fall", EventTypes.FallDetected, false, false, "", "night", "personal-alarm", TriagePriority.P1, TriageAction.RaiseCall },
        { "medical", EventTypes.Medical, false, false, "", "noon", "personal-alarm", TriagePriority.P1, TriageAction.RaiseCall },
        { "fall while open", EventTypes.FallDetected, false, true, "", "noon", "personal-alarm-while-call-open", TriagePriority.P1, TriageAction.AttachToOpenCall },
        { "cancel", EventTypes.PendantCancel, false, true, "", "noon", "pendant-cancel", TriagePriority.P3, TriageAction.CancelPending },
        { "press restore", EventTypes.PendantPress, true, true, "", "noon", "personal-alarm-restore", TriagePriority.P3, TriageAction.CancelPending },
        { "smoke", EventTypes.SmokeAlarm, false, false, "", "noon", "fire-and-gas", TriagePriority.P1, TriageAction.RaiseCall },
        { "smoke while open", EventTypes.SmokeAlarm, false, true, "", "noon", "fire-and-gas", TriagePriority.P1, TriageAction.RaiseCall },
        { "heat", EventTypes.HeatAlarm, false, false, "", "noon", "fire-and-gas", TriagePriority.P1, TriageAction.RaiseCall },
        { "co", EventTypes.CoAlarm, false, false, "", "night", "fire-and-gas", TriagePriority.P1, TriageAction.RaiseCall },
        { "gas", EventTypes.GasAlarm, false, false, "", "noon", "fire-and-gas", TriagePriority.P1, TriageAction.RaiseCall },
        { "smoke restore open", EventTypes.SmokeAlarm, true, true, "", "noon", "environmental-restore-while-call-open", TriagePriority.P2, TriageAction.AttachToOpenCall },
        { "smoke restore", EventTypes.SmokeAlarm, true, false, "", "noon", "environmental-restore", TriagePriority.P4, TriageAction.Record },
        { "flood", EventTypes.FloodAlarm, false, false, "", "noon", "flood-and-temperature", TriagePriority.P2, TriageAction.RaiseCall },
        { "cold", EventTypes.TemperatureLow, false, false, "", "night", "flood-and-temperature", TriagePriority.P2, TriageAction.RaiseCall },
        { "hot", EventTypes.TemperatureHigh, false, false, "", "noon", "flood-and-temperature", TriagePriority.P2, TriageAction.RaiseCall },
        { "door dementia night", EventTypes.DoorExit, false, false, "dementia", "night", "door-exit-dementia-night", TriagePriority.P1, TriageAction.RaiseCall },
        { "door dementia summer 22:30 BST", EventTypes.DoorExit, false, false, "dementia,lives-alone", "summer-late", "door-exit-dementia-night", TriagePriority.P1, TriageAction.RaiseCall },
        { "door dementia day", EventTypes.DoorExit, false, false, "dementia", "noon", "door-exit", TriagePriority.P3, TriageAction.RaiseCall },
        { "door night no flag", EventTypes.DoorExit, false, false, "falls-risk", "night", "door-exit", TriagePriority.P3, TriageAction.RaiseCall },
        { "door closed", EventTypes.DoorExit, true, false, "dementia", "night", "activity-restore", TriagePriority.P4, TriageAction.CancelPending },
        { "bed night", EventTypes.BedAbsent, false, false, "", "night", "bed-absent-night", TriagePriority.P2, TriageAction.RaiseCall },
        { "bed day", EventTypes.BedAbsent, false, false, "", "noon", "bed-absent-day", TriagePriority.P5, TriageAction.Record },
        { "back in bed", EventTypes.BedAbsent, true, true, "", "night", "activity-restore", TriagePriority.P4, TriageAction.CancelPending },
        { "chair", EventTypes.ChairAbsent, false, false, "", "noon", "chair-absent", TriagePriority.P3, TriageAction.RaiseCall },
        { "inactivity", EventTypes.Inactivity, false, false, "", "noon", "inactivity", TriagePriority.P2, TriageAction.RaiseCall },
        { "carer in", EventTypes.CarerArrived, false, false, "", "noon", "carer-visit", TriagePriority.P5, TriageAction.Record },
        { "carer out", EventTypes.CarerLeft, false, true, "", "night", "carer-visit", TriagePriority.P5, TriageAction.Record },
        { "test", EventTypes.DeviceTest, false, false, "", "noon", "device-test-and-heartbeat", TriagePriority.P5, TriageAction.Record },
        { "heartbeat", EventTypes.DeviceHeartbeat, false, false, "", "night", "device-test-and-heartbeat", TriagePriority.P5, TriageAction.Record },
        { "low battery", EventTypes.DeviceLowBattery, false, false, "", "noon", "device-fault", TriagePriority.P4, TriageAction.TechnicalTicket },
        { "tamper", EventTypes.DeviceTamper, false, false, "", "noon", "device-fault", TriagePriority.P4, TriageAction.TechnicalTicket },
        { "mains", EventTypes.DeviceMainsFail, false, false, "", "noon", "device-fault", TriagePriority.P4, TriageAction.TechnicalTicket },
        { "battery restored", EventTypes.DeviceLowBattery, true, false, "", "noon", "technical-restore", TriagePriority.P5, TriageAction.CancelPending },
        { "offline", EventTypes.DeviceOffline, false, false, "", "noon", "device-offline", TriagePriority.P3, TriageAction.TechnicalTicket },
        { "link down", EventTypes.ReceiverLinkDown, false, false, "", "noon", "receiver-link-down", TriagePriority.P2, TriageAction.TechnicalTicket },
        { "link down restore", EventTypes.ReceiverLinkDown, true, false, "", "noon", "technical-restore", TriagePriority.P5, TriageAction.CancelPending },
        { "device restore", EventTypes.DeviceRestore, false, false, "", "noon", "device-restored", TriagePriority.P5, TriageAction.CancelPending },
        { "link up", EventTypes.ReceiverLinkUp, false, false, "", "noon", "device-restored", TriagePriority.P5, TriageAction.CancelPending },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void Default_rule_gives_the_expected_decision(
        string @case, string eventType, bool restore, bool callOpen, string flags, string when, string rule, TriagePriority priority, TriageAction action)
    {
        var at = when switch
        {
            "noon" => WinterNoon,
            "night" => WinterNight,
            "summer-late" => SummerLateEvening,
            _ => throw new ArgumentException(when),
        };
        var residentFlags = flags.Length == 0 ? [] : flags.Split(',');

        var decision = Rules.Triage(eventType, restore, at, Known(callOpen, false, residentFlags));

        Assert.True(rule == decision.RuleName, $"{@case}: expected rule {rule}, got {decision.RuleName} ({decision.Reason})");
        Assert.Equal(priority, decision.Priority);
        Assert.Equal(action, decision.Action);
        Assert.Equal(action == TriageAction.TechnicalTicket, decision.IsTechnical);
        Assert.Contains(rule, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_default_rule_is_exercised_by_the_expectation_table()
    {
        var expected = Expectations.Select(row => (string)row[6]).ToHashSet();
        var unexercised = Options.Rules.Select(r => r.Name!).Where(n => !expected.Contains(n)).ToList();
        Assert.True(unexercised.Count == 0, "rules without an expectation: " + string.Join(", ", unexercised));
    }

    [Fact]
    public void Default_rules_compile_with_london_time()
    {
        Assert.Equal("Europe/London", Options.TimeZone);
        Assert.Equal(Options.Rules.Select(r => r.Name), Rules.RuleNames);
        Assert.Empty(Rules.UncoveredEvents);
    }

    [Fact]
    public void Every_event_in_the_vocabulary_is_decided_by_a_default_rule_in_every_situation()
    {
        foreach (var eventType in EventTypes.All)
        {
            Assert.True(Rules.Covers(eventType), eventType + " has no default rule");
            foreach (var situation in Situations())
            {
                var decision = Rules.Triage(eventType, situation.Restore, situation.At, situation.Enrichment);
                Assert.True(decision.RuleName != CompiledTriageRules.NoMatchingRuleName, $"{eventType} in {situation} fell through every rule");
            }
        }
    }

    /// <summary>
    /// The rule that fires lists the event, its predicates hold, and no earlier rule in the file would have
    /// matched: checked against the configuration itself for every event in many situations.
    /// </summary>
    [Fact]
    public void A_default_rule_fires_only_for_what_it_names_and_only_when_no_earlier_rule_matches()
    {
        var window = Options.Rules.ToDictionary(r => r.Name!, r => r.TimeWindow);
        foreach (var eventType in EventTypes.All)
        {
            foreach (var s in Situations())
            {
                var decision = Rules.Triage(eventType, s.Restore, s.At, s.Enrichment);
                var firstByHand = Options.Rules.First(r => HandMatch(r, eventType, s));
                Assert.True(firstByHand.Name == decision.RuleName, $"{eventType} in {s}: engine chose {decision.RuleName}, the file says {firstByHand.Name}");
            }
        }
    }

    [Fact]
    public void Test_mode_device_gets_a_confirmation_never_a_live_call()
    {
        foreach (var eventType in EventTypes.All)
        {
            var decision = Rules.Triage(eventType, false, WinterNight, Known(testMode: true, flags: "dementia"));
            Assert.NotEqual(TriageAction.RaiseCall, decision.Action);
            Assert.NotEqual(TriageAction.AttachToOpenCall, decision.Action);
            Assert.NotEqual(TriageAction.TechnicalTicket, decision.Action);
        }

        var press = Rules.Triage(EventTypes.PendantPress, false, WinterNoon, Known(testMode: true));
        Assert.Equal(TriageAction.TestConfirmation, press.Action);
        Assert.Equal("personal-alarm", press.RuleName);
        Assert.Contains("test mode", press.Reason, StringComparison.OrdinalIgnoreCase);

        // Heartbeats still count as check-ins while installing.
        Assert.Equal(TriageAction.Record, Rules.Triage(EventTypes.DeviceHeartbeat, false, WinterNoon, Known(testMode: true)).Action);
    }

    [Fact]
    public void Unknown_device_raises_a_technical_call_that_says_so()
    {
        var press = Rules.Triage(EventTypes.PendantPress, false, WinterNoon, TriageEnrichment.UnknownDevice);
        Assert.Equal(TriageAction.RaiseCall, press.Action);
        Assert.Equal(TriagePriority.P1, press.Priority);
        Assert.True(press.IsTechnical);
        Assert.Contains("Unknown device", press.Reason, StringComparison.Ordinal);

        var heartbeat = Rules.Triage(EventTypes.DeviceHeartbeat, false, WinterNoon, TriageEnrichment.UnknownDevice);
        Assert.Equal(TriageAction.RaiseCall, heartbeat.Action);
        Assert.Equal(TriagePriority.P3, heartbeat.Priority);
        Assert.True(heartbeat.IsTechnical);

        var unheard = Rules.Triage("vendor.special", false, WinterNoon, TriageEnrichment.UnknownDevice);
        Assert.Equal(TriageAction.RaiseCall, unheard.Action);
        Assert.True(unheard.IsTechnical);
        Assert.Contains("Unknown device", unheard.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_of_a_stored_signal_uses_the_receive_time_not_the_device_time()
    {
        var signal = new StoredSignal(1, SignalSource.Mqtt, "dev-1", EventTypes.BedAbsent, false,
            ReceivedAt: WinterNight, DeviceTime: WinterNoon, Battery: 90, Zone: null, DataJson: null);
        Assert.Equal("bed-absent-night", Rules.Triage(signal, Known()).RuleName);
    }

    private sealed record Situation(bool Restore, DateTimeOffset At, TriageEnrichment Enrichment)
    {
        public override string ToString() =>
            $"restore={Restore} at={At:u} open={Enrichment.CallOpenForResident} flags={string.Join("+", Enrichment.ResidentFlags ?? [])}";
    }

    private static IEnumerable<Situation> Situations()
    {
        DateTimeOffset[] times = [WinterNoon, WinterNight, SummerLateEvening, new(2026, 10, 25, 6, 30, 0, TimeSpan.Zero), new(2026, 10, 24, 6, 30, 0, TimeSpan.Zero)];
        string[][] flagSets = [[], ["dementia"], ["falls-risk", "lives-alone"]];
        foreach (var restore in new[] { false, true })
        foreach (var open in new[] { false, true })
        foreach (var flags in flagSets)
        foreach (var at in times)
        {
            yield return new Situation(restore, at, Known(open, false, flags));
        }
    }

    private static bool HandMatch(TriageRuleDefinition r, string eventType, Situation s)
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var local = TimeZoneInfo.ConvertTime(s.At, london).TimeOfDay;
        var inWindow = r.TimeWindow is null || InWindowByHand(r.TimeWindow, local);
        return r.Events.Contains(eventType)
            && (r.Restore is null || r.Restore == s.Restore)
            && (r.CallOpen is null || r.CallOpen == s.Enrichment.CallOpenForResident)
            && r.ResidentFlags.All(f => (s.Enrichment.ResidentFlags ?? []).Contains(f))
            && (r.DeviceTypes.Count == 0 || r.DeviceTypes.Contains(s.Enrichment.DeviceType!))
            && (r.Zones.Count == 0 || r.Zones.Contains(s.Enrichment.Zone!))
            && inWindow;
    }

    private static bool InWindowByHand(string window, TimeSpan local)
    {
        var parts = window.Split('-');
        var start = TimeSpan.Parse(parts[0]);
        var end = TimeSpan.Parse(parts[1]);
        return start < end ? local >= start && local < end : local >= start || local < end;
    }
}
