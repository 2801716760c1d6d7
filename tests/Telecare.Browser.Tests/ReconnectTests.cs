using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture fixture)
{
    [Fact]
    public async Task After_the_connection_drops_and_returns_the_console_resyncs_with_no_missing_or_doubled_calls()
    {
        var context = await fixture.NewContextAsync();
        var dropped = false;
        var sockets = new ConcurrentBag<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        // Every hub socket goes through the test so it can be cut; while cut, no transport can reach the hub.
        await context.RouteWebSocketAsync(new Regex("/hubs/"), ws =>
        {
            if (dropped)
            {
                _ = ws.CloseAsync();
                return;
            }

            sockets.Add((ws, ws.ConnectToServer()));
        });
        await context.RouteAsync(new Regex("/hubs/"), route => dropped ? route.AbortAsync() : route.ContinueAsync());

        var console = await PageDriver.SignInAsync(context, Demo.Handler.User, Demo.Handler.Password, "/");
        await PageDriver.ConnectedAsync(console);
        var other = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        var a = await Demo.RaiseAsync(fixture, "pendant-025", "pendant.press");
        var b = await Demo.RaiseAsync(fixture, "pendant-026", "pendant.press");
        await Expect(PageDriver.Row(console, a)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(console, b)).ToBeVisibleAsync();
        var syncs = await console.EvaluateAsync<string>("document.body.dataset.syncs");

        dropped = true;
        foreach (var (page, server) in sockets)
        {
            await server.CloseAsync();
            await page.CloseAsync();
        }

        await Expect(console.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "connected");
        await Screenshots.SaveAsync(console, "dropped");

        // While this console is cut off: another console claims A, and a new alarm C arrives.
        await PageDriver.Row(other, a).Locator("button.claim").ClickAsync();
        await Expect(other.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        var c = await Demo.RaiseAsync(fixture, "pendant-027", "fall.detected");
        await Expect(PageDriver.Row(other, c)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(console, c)).ToHaveCountAsync(0);

        dropped = false;
        await PageDriver.ConnectedAsync(console);
        await Expect(console.Locator("body")).Not.ToHaveAttributeAsync("data-syncs", syncs);
        foreach (var id in new[] { a, b, c })
        {
            await Expect(PageDriver.Row(console, id)).ToHaveCountAsync(1);
        }

        await Expect(PageDriver.Row(console, a)).ToHaveAttributeAsync("data-state", "Answered");
        var ids = await console.EvalOnSelectorAllAsync<long[]>("tr.call-row", "rows => rows.map(r => Number(r.dataset.callId))");
        Assert.Equal(ids.Length, ids.Distinct().Count());
        var expected = await other.EvalOnSelectorAllAsync<long[]>("tr.call-row", "rows => rows.map(r => Number(r.dataset.callId))");
        Assert.Equal(expected.Order(), ids.Order());

        await Screenshots.SaveAsync(console);
        await LiveConsoleTests.CloseAsync(console, other);
    }
}
