using Telecare.Core.Calls;
using Telecare.Core.Triage;
using Telecare.Gateway.Calls;

namespace Telecare.Gateway.Tests.Calls;

/// <summary>The in-memory queue's indexes: a resident's or a device's open call is found, and follows the call as it moves and ends.</summary>
public sealed class UnfinishedCallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private static Call Alarm(long id, string? resident, string? device, int minutes, CallKind kind = CallKind.Alarm) =>
        Call.FromTimer(kind, "rule", "reason", TriagePriority.P1, resident, device, "Zone", "pendant.press", T0.AddMinutes(minutes)) with { Id = id };

    [Fact]
    public void The_oldest_open_call_of_the_resident_or_device_is_found_and_no_other()
    {
        var calls = new UnfinishedCalls();
        calls.Reset([Alarm(1, "7", "p-7", 5), Alarm(2, "7", "p-7b", 1), Alarm(3, "8", "p-8", 0), Alarm(4, null, "unknown-1", 2), Alarm(5, "7", "p-7", 0, CallKind.Technical)]);

        Assert.Equal(2, calls.FindOpen("7", "p-7", c => !c.IsTechnical)?.Id);
        Assert.Equal(5, calls.FindOpen("7", null, c => c.IsTechnical)?.Id);
        Assert.Equal(4, calls.FindOpen(null, "unknown-1", _ => true)?.Id);
        Assert.Null(calls.FindOpen("9", "p-9", _ => true));
        Assert.Null(calls.FindOpen(null, null, _ => true));
    }

    [Fact]
    public void A_call_that_is_resolved_or_closed_is_no_longer_found_and_a_batch_change_counts_before_it_is_remembered()
    {
        var calls = new UnfinishedCalls();
        calls.Reset([Alarm(1, "7", "p-7", 0), Alarm(2, "7", "p-7", 3)]);

        calls.Remember(calls.Get(1)! with { State = CallState.Resolved });
        Assert.Equal(2, calls.FindOpen("7", null, _ => true)?.Id);
        Assert.NotNull(calls.Get(1));

        calls.Remember(calls.Get(1)! with { State = CallState.Closed });
        Assert.Null(calls.Get(1));
        Assert.Equal([2L], calls.Ordered().Select(c => c.Id));

        // Within a triage batch: call 2 resolved and a new call 9 raised, neither remembered yet.
        var changed = new Dictionary<long, Call> { [2] = calls.Get(2)! with { State = CallState.Resolved }, [9] = Alarm(9, "7", "p-7", 9) };
        Assert.Equal(9, calls.FindOpen("7", null, _ => true, changed)?.Id);
        // A batch's call for someone else is not theirs, however old.
        Assert.Null(calls.FindOpen("8", null, _ => true, new Dictionary<long, Call> { [10] = Alarm(10, "9", "p-9", -5) }));
        Assert.Null(calls.FindOpen(null, "p-8", _ => true, new Dictionary<long, Call> { [11] = Alarm(11, null, "p-9", -5) }));

        calls.Remember(calls.Get(2)! with { State = CallState.Cancelled });
        Assert.Null(calls.FindOpen("7", "p-7", _ => true));
        Assert.Empty(calls.Ordered());
    }
}
