using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture fixture)
{
    /// <summary>Every hub socket of a browser context goes through the test so it can be cut; while cut, no transport reaches the hub.</summary>
    private sealed class CuttableHub
    {
        private readonly ConcurrentBag<(IWebSocketRoute Page, IWebSocketRoute Server)> _sockets = [];

        public bool Dropped { get; set; }

        public static async Task<CuttableHub> RouteAsync(IBrowserContext context)
        {
            var hub = new CuttableHub();
            await context.RouteWebSocketAsync(new Regex("/hubs/"), ws =>
            {
                if (hub.Dropped)
                {
                    _ = ws.CloseAsync();
                    return;
                }

                hub._sockets.Add((ws, ws.ConnectToServer()));
            });
            await context.RouteAsync(new Regex("/hubs/"), route => hub.Dropped ? route.AbortAsync() : route.ContinueAsync());
            return hub;
        }

        public async Task CutAsync()
        {
            Dropped = true;
            foreach (var (page, server) in _sockets)
            {
                await server.CloseAsync();
                await page.CloseAsync();
            }
        }
    }

    [Fact]
    public async Task After_the_connection_drops_and_returns_the_console_resyncs_with_no_missing_or_doubled_calls()
    {
        var context = await fixture.NewContextAsync();
        var hub = await CuttableHub.RouteAsync(context);

        var console = await PageDriver.SignInAsync(context, Demo.Handler.User, Demo.Handler.Password, "/");
        await PageDriver.ConnectedAsync(console);
        var other = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        var a = await Demo.RaiseAsync(fixture, "pendant-025", "pendant.press");
        var b = await Demo.RaiseAsync(fixture, "pendant-026", "pendant.press");
        await Expect(PageDriver.Row(console, a)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(console, b)).ToBeVisibleAsync();
        var syncs = await console.EvaluateAsync<string>("document.body.dataset.syncs");

        await hub.CutAsync();

        await Expect(console.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "connected");
        await Screenshots.SaveAsync(console, "dropped");

        // While this console is cut off: another console claims A, and a new alarm C arrives.
        await PageDriver.Row(other, a).Locator("button.claim").ClickAsync();
        await Expect(other.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        var c = await Demo.RaiseAsync(fixture, "pendant-027", "fall.detected");
        await Expect(PageDriver.Row(other, c)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(console, c)).ToHaveCountAsync(0);

        hub.Dropped = false;
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

    [Fact]
    public async Task A_responder_whose_phone_lost_its_connection_gets_the_assignment_made_meanwhile_and_keeps_their_duty()
    {
        // responder3 covers Tidworth; pendant-006's resident lives there.
        var context = await fixture.NewContextAsync(phone: true);
        var hub = await CuttableHub.RouteAsync(context);
        var phone = await PageDriver.SignInAsync(context, "responder3", Demo.Password, "/responder");
        await PageDriver.ConnectedAsync(phone);
        await phone.ClickAsync("#duty-toggle");
        await Expect(phone.Locator("#duty-toggle")).ToHaveAttributeAsync("data-on-duty", "false");
        await phone.ClickAsync("#duty-toggle");
        await Expect(phone.Locator("#duty-toggle")).ToHaveAttributeAsync("data-on-duty", "true");

        await hub.CutAsync();
        await Expect(phone.Locator("#connection")).Not.ToHaveAttributeAsync("data-state", "connected");

        // While the phone is asleep, a handler assigns a call to this responder.
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var id = await Demo.RaiseAsync(fixture, "pendant-006", "fall.detected");
        await PageDriver.Row(console, id).Locator("button.claim").ClickAsync();
        await Expect(console.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        await console.Locator("#responder-list input[data-name*='Tidworth']").CheckAsync();
        await console.ClickAsync("#assign-button");
        await Expect(console.Locator("#action-result")).ToContainTextAsync("assigned");
        var card = phone.Locator($"article.assignment[data-call-id='{id}']");
        await Expect(card).ToHaveCountAsync(0);

        hub.Dropped = false;
        await PageDriver.ConnectedAsync(phone);
        await Expect(card).ToHaveAttributeAsync("data-state", "Offered");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(phone.Locator("#duty-toggle")).ToHaveAttributeAsync("data-on-duty", "true");
        await card.Locator("button[data-action='Accept']").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-state", "Accepted");
        await Expect(PageDriver.Row(console, id)).ToHaveAttributeAsync("data-state", "ResponderAccepted");

        await Screenshots.SaveAsync(phone);
        await LiveConsoleTests.CloseAsync(phone, console);
    }
}
