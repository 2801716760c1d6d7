using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Triage;

public sealed class TriageRuleCompilerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 14, 12, 0, 0, TimeSpan.Zero);

    private static TriageRuleDefinition Rule(string name = "r") => new()
    {
        Name = name,
        Events = [EventTypes.PendantPress],
        Priority = "P1",
        Action = "RaiseCall",
    };

    private static TriageRuleException CompileFails(TriageRuleDefinition rule, string timeZone = "Europe/London") =>
        Assert.Throws<TriageRuleException>(() => TriageRuleCompiler.Compile(new TriageOptions { TimeZone = timeZone, Rules = [Rule("first"), rule] }));

    [Theory]
    [InlineData("TimeWindow", "25:00-07:00")]
    [InlineData("TimeWindow", "22:00")]
    [InlineData("TimeWindow", "22:00-22:00")]
    [InlineData("Priority", "P6")]
    [InlineData("Priority", "high")]
    [InlineData("Action", "Page")]
    [InlineData("Action", "TestConfirmation")]
    [InlineData("Events", "pendant.pres")]
    public void A_bad_field_is_named_with_its_rule(string field, string value)
    {
        var rule = Rule("door-at-night");
        switch (field)
        {
            case "TimeWindow": rule.TimeWindow = value; break;
            case "Priority": rule.Priority = value; break;
            case "Action": rule.Action = value; break;
            case "Events": rule.Events = [value]; break;
        }

        var ex = CompileFails(rule);
        Assert.Contains("'door-at-night'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
        Assert.Equal($"Triage:Rules:1:{field}", ex.Field);
        Assert.Equal("door-at-night", ex.RuleName);
    }

    [Fact]
    public void Missing_name_events_priority_action_and_duplicates_are_refused()
    {
        Assert.Contains("Name", CompileFails(new TriageRuleDefinition { Events = [EventTypes.Medical], Priority = "P1", Action = "RaiseCall" }).Message, StringComparison.Ordinal);
        Assert.Equal("Triage:Rules:1:Events", CompileFails(new TriageRuleDefinition { Name = "x", Priority = "P1", Action = "RaiseCall" }).Field);
        Assert.Equal("Triage:Rules:1:Priority", CompileFails(new TriageRuleDefinition { Name = "x", Events = [EventTypes.Medical], Action = "RaiseCall" }).Field);
        Assert.Equal("Triage:Rules:1:Action", CompileFails(new TriageRuleDefinition { Name = "x", Events = [EventTypes.Medical], Priority = "P2" }).Field);
        Assert.Equal("Triage:Rules:1:Name", CompileFails(Rule("FIRST")).Field);
        Assert.Equal("Triage:Rules:1:ResidentFlags", CompileFails(new TriageRuleDefinition { Name = "x", Events = [EventTypes.Medical], Priority = "P2", Action = "RaiseCall", ResidentFlags = [" "] }).Field);
        Assert.Equal("Triage:Rules", Assert.Throws<TriageRuleException>(() => TriageRuleCompiler.Compile(new TriageOptions())).Field);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_naming_the_key()
    {
        var ex = CompileFails(Rule("x"), timeZone: "Europe/Atlantis");
        Assert.Equal("Triage:TimeZone", ex.Field);
        Assert.Contains("Europe/Atlantis", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Priority_and_action_are_read_without_regard_to_case()
    {
        var rules = TriageRuleCompiler.Compile(new TriageOptions { Rules = [new() { Name = "x", Events = [EventTypes.Medical], Priority = "p2", Action = "attachtoopencall" }] });
        var d = rules.Triage(EventTypes.Medical, false, Noon, new TriageEnrichment { DeviceKnown = true });
        Assert.Equal((TriagePriority.P2, TriageAction.AttachToOpenCall), (d.Priority, d.Action));
    }

    [Fact]
    public void First_matching_rule_in_file_order_wins_and_predicates_narrow()
    {
        var rules = TriageRuleCompiler.Compile(new TriageOptions
        {
            Rules =
            [
                new() { Name = "salisbury-pendant", Events = [EventTypes.PendantPress], DeviceTypes = ["pendant"], Zones = ["Salisbury"], Priority = "P1", Action = "RaiseCall" },
                new() { Name = "two-flags", Events = [EventTypes.PendantPress], ResidentFlags = ["dementia", "lives-alone"], Priority = "P2", Action = "RaiseCall" },
                new() { Name = "anything", Events = [EventTypes.PendantPress, EventTypes.Medical], Priority = "P3", Action = "RaiseCall" },
                new() { Name = "never-reached", Events = [EventTypes.PendantPress], Priority = "P4", Action = "Record" },
            ],
        });

        string Fire(string? type, string? zone, params string[] flags) =>
            rules.Triage(EventTypes.PendantPress, false, Noon, new TriageEnrichment { DeviceKnown = true, DeviceType = type, Zone = zone, ResidentFlags = flags }).RuleName;

        Assert.Equal("salisbury-pendant", Fire("Pendant", "salisbury"));
        Assert.Equal("anything", Fire("pendant", "Tisbury"));
        Assert.Equal("anything", Fire(null, "Salisbury"));
        Assert.Equal("two-flags", Fire("hub", "Tisbury", "lives-alone", "DEMENTIA"));
        Assert.Equal("anything", Fire("hub", "Tisbury", "dementia"));
        Assert.Equal("anything", rules.Triage(EventTypes.Medical, false, Noon, new TriageEnrichment { DeviceKnown = true }).RuleName);

        Assert.Equal(EventTypes.All.Count - 2, rules.UncoveredEvents.Count);
        Assert.DoesNotContain(EventTypes.Medical, rules.UncoveredEvents);

        var none = rules.Triage(EventTypes.SmokeAlarm, false, Noon, new TriageEnrichment { DeviceKnown = true });
        Assert.Equal(CompiledTriageRules.NoMatchingRuleName, none.RuleName);
        Assert.Equal(TriageAction.RaiseCall, none.Action);
    }

    [Fact]
    public void Triage_on_compiled_rules_allocates_nothing()
    {
        var rules = TriageRuleCompiler.Compile(Support.RepoFiles.DefaultTriageOptions());
        var flags = new[] { "falls-risk", "dementia" };
        var e = new TriageEnrichment { DeviceKnown = true, DeviceType = "hub", Zone = "Devizes", ResidentFlags = flags };
        var unknown = TriageEnrichment.UnknownDevice;
        var test = e with { TestMode = true };
        var night = new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero);
        var events = EventTypes.All.ToArray();
        var sum = 0;
        for (var round = 0; round < 2; round++)
        {
            // First round warms up (JIT, time zone caches); the second is measured.
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200; i++)
            {
                // Indexed: a foreach over IReadOnlyList would box its enumerator in the test itself.
                for (var k = 0; k < events.Length; k++)
                {
                    sum += (int)rules.Triage(events[k], (i & 1) == 1, night.AddMinutes(i * 7), in e).Priority;
                }

                sum += (int)rules.Triage(EventTypes.PendantPress, false, night, in unknown).Priority;
                sum += (int)rules.Triage(EventTypes.DoorExit, false, night, in test).Priority;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(sum > 0);
    }
}
