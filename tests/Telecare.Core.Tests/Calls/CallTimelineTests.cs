using Telecare.Core.Calls;

namespace Telecare.Core.Tests.Calls;

public sealed class CallTimelineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 8, 2, 0, 0, TimeSpan.Zero);

    private static CallTimelineEntry Entry(int sequence, string? detail = null) =>
        new(sequence, At.AddSeconds(sequence), Actor.System, CallAction.AttachSignal, CallState.Raised, CallState.Raised, detail ?? $"signal {sequence}");

    private static CallTimeline Grow(int count)
    {
        CallTimeline timeline = [Entry(0)];
        for (var i = 1; i < count; i++)
        {
            timeline = timeline.Add(Entry(i));
        }

        return timeline;
    }

    [Fact]
    public void Each_version_reads_exactly_its_own_entries()
    {
        var one = Grow(1);
        var two = one.Add(Entry(1));
        var three = two.Add(Entry(2));

        Assert.Single(one);
        Assert.Equal([0, 1], two.Select(e => e.Sequence));
        Assert.Equal([0, 1, 2], three.Select(e => e.Sequence));
        Assert.Equal(2, three[^1].Sequence);
        Assert.Throws<ArgumentOutOfRangeException>(() => two[2]);
    }

    [Fact]
    public void Appending_to_an_older_version_branches_and_leaves_the_newer_one_as_it_was()
    {
        // Two transitions tried from the same version: the store lets one win, and neither sees the other's entry.
        var base_ = Grow(3);
        var won = base_.Add(Entry(3, "claimed by ann"));
        var lost = base_.Add(Entry(3, "claimed by bob"));

        Assert.Equal("claimed by ann", won[3].Detail);
        Assert.Equal("claimed by bob", lost[3].Detail);
        Assert.Equal(4, won.Count);
        Assert.Equal(3, base_.Count);
        Assert.Equal("claimed by ann", won.Add(Entry(4))[3].Detail);
    }

    [Fact]
    public void The_hundred_thousandth_append_allocates_no_more_than_the_first()
    {
        // Allocation is counted, not timed: an append that copied the history would allocate the whole timeline.
        static long AllocatedByThousandAppends(CallTimeline timeline)
        {
            var entries = Enumerable.Range(timeline.Count, 1_000).Select(i => Entry(i)).ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var entry in entries)
            {
                timeline = timeline.Add(entry);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var early = AllocatedByThousandAppends(Grow(1));
        var late = AllocatedByThousandAppends(Grow(100_000));

        Assert.True(late <= early + 1_024, $"1,000 appends allocated {early:N0} bytes on a new call and {late:N0} bytes after 100,000 entries");
    }
}
