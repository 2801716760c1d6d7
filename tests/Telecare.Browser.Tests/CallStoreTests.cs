using System.Text.Json;

namespace Telecare.Browser.Tests;

/// <summary>
/// The console's call list rules (keep the highest version per call id; a snapshot replaces the list;
/// a closed call never comes back), run in the browser on the module the console uses.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CallStoreTests(BrowserFixture fixture)
{
    private const string Script = """
        async () => {
          const { CallStore } = await import('/js/callstore.js');
          const call = (id, version, state = 'Raised', priority = 3, raisedAt = '2026-11-22T03:00:00Z') =>
            ({ id, version, state, priority, raisedAt, kind: 'alarm' });
          const s = new CallStore();
          const out = {};
          s.apply(call(1, 1));
          s.apply(call(1, 3, 'Answered'));
          out.staleIgnored = !s.apply(call(1, 2, 'Raised'));
          out.keptState = s.get(1).state;
          s.apply(call(2, 1, 'Raised', 1, '2026-11-22T03:05:00Z'));
          s.apply(call(3, 1, 'Raised', 1, '2026-11-22T03:01:00Z'));
          s.apply(call(4, 1, 'Raised', 5, '2026-11-22T02:00:00Z'));
          out.order = s.sorted().map(c => c.id);
          s.close({ id: 4, state: 'Closed', version: 2 });
          out.lateUpdateAfterClose = s.apply(call(4, 2, 'Resolved'));
          // A snapshot after a reconnect: call 3 closed meanwhile, call 5 is new, call 1 is older in the snapshot.
          s.replace([call(1, 2, 'Raised'), call(2, 4, 'Answered', 1, '2026-11-22T03:05:00Z'), call(5, 1, 'Raised', 2)]);
          out.afterSnapshot = s.sorted().map(c => `${c.id}:${c.version}`);
          return JSON.stringify(out);
        }
        """;

    [Fact]
    public async Task Keeps_the_highest_version_orders_by_priority_then_age_and_resyncs_from_a_snapshot()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        var json = await page.EvaluateAsync<string>(Script);
        await Screenshots.SaveAsync(page);

        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        Assert.True(r.GetProperty("staleIgnored").GetBoolean());
        Assert.Equal("Answered", r.GetProperty("keptState").GetString());
        Assert.Equal([3, 2, 1, 4], r.GetProperty("order").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(r.GetProperty("lateUpdateAfterClose").GetBoolean());
        Assert.Equal(["2:4", "5:1", "1:3"], r.GetProperty("afterSnapshot").EnumerateArray().Select(e => e.GetString()));
    }
}
