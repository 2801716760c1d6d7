using Telecare.Core.Signals;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Triage;

public sealed class LocalTimeWindowTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static LocalTimeWindow Parse(string text)
    {
        Assert.True(LocalTimeWindow.TryParse(text, out var w, out var reason), reason);
        return w;
    }

    [Theory]
    [InlineData("22:00-07:00", 21 * 60 + 59, false)]
    [InlineData("22:00-07:00", 22 * 60, true)]
    [InlineData("22:00-07:00", 0, true)]
    [InlineData("22:00-07:00", 6 * 60 + 59, true)]
    [InlineData("22:00-07:00", 7 * 60, false)]
    [InlineData("09:30-17:00", 9 * 60 + 29, false)]
    [InlineData("09:30-17:00", 9 * 60 + 30, true)]
    [InlineData("09:30-17:00", 17 * 60, false)]
    public void Window_bounds_including_across_midnight(string window, int minute, bool inside) =>
        Assert.Equal(inside, Parse(window).Contains(minute));

    [Theory]
    // Autumn 2026: clocks go back at 01:00 UTC on 25 October. 06:30 UTC is 06:30 GMT (night) that day,
    // but 07:30 BST (morning) the day before.
    [InlineData("2026-10-25T06:30:00Z", true)]
    [InlineData("2026-10-24T06:30:00Z", false)]
    // Spring 2026: clocks go forward at 01:00 UTC on 29 March. 21:30 UTC is 22:30 BST (night) that evening,
    // but 21:30 GMT (evening) the day before.
    [InlineData("2026-03-29T21:30:00Z", true)]
    [InlineData("2026-03-28T21:30:00Z", false)]
    // The repeated hour 01:00-02:00 local on the autumn night: both passes are inside the night.
    [InlineData("2026-10-25T00:30:00Z", true)]
    [InlineData("2026-10-25T01:30:00Z", true)]
    // 06:15 UTC in summer is 07:15 BST: morning, outside.
    [InlineData("2026-07-01T06:15:00Z", false)]
    public void Night_window_follows_london_clock_changes(string utc, bool inside)
    {
        var instant = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(inside, Parse("22:00-07:00").Contains(instant, London));

        // And the compiled rule agrees with the window.
        var rules = TriageRuleCompiler.Compile(new TriageOptions
        {
            Rules =
            [
                new() { Name = "night", Events = [EventTypes.BedAbsent], TimeWindow = "22:00-07:00", Priority = "P2", Action = "RaiseCall" },
                new() { Name = "day", Events = [EventTypes.BedAbsent], Priority = "P5", Action = "Record" },
            ],
        });
        Assert.Equal(inside ? "night" : "day", rules.Triage(EventTypes.BedAbsent, false, instant, new TriageEnrichment { DeviceKnown = true }).RuleName);
    }

    [Fact]
    public void Window_in_another_configured_zone_uses_that_zone()
    {
        var rules = TriageRuleCompiler.Compile(new TriageOptions
        {
            TimeZone = "America/New_York",
            Rules = [new() { Name = "night", Events = [EventTypes.BedAbsent], TimeWindow = "22:00-07:00", Priority = "P2", Action = "RaiseCall" }],
        });

        // 03:00 UTC in January is 22:00 in New York; 12:00 UTC is 07:00 there.
        Assert.Equal("night", rules.Triage(EventTypes.BedAbsent, false, new DateTimeOffset(2026, 1, 14, 3, 0, 0, TimeSpan.Zero), new TriageEnrichment { DeviceKnown = true }).RuleName);
        Assert.Equal(CompiledTriageRules.NoMatchingRuleName, rules.Triage(EventTypes.BedAbsent, false, new DateTimeOffset(2026, 1, 14, 12, 0, 0, TimeSpan.Zero), new TriageEnrichment { DeviceKnown = true }).RuleName);
    }

    [Fact]
    public void Length_counts_across_midnight() =>
        Assert.Equal(TimeSpan.FromHours(9), Parse("22:00-07:00").Length);
}
