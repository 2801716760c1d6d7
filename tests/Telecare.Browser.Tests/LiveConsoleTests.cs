using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

/// <summary>The dispatch console and responder page against a real gateway with demo data and live alarms.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveConsoleTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task Each_role_signs_in_to_its_own_page()
    {
        var handler = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        await Expect(handler.Locator("#who")).ToContainTextAsync("handler");
        await Expect(handler.Locator("#figures-tab")).ToBeHiddenAsync();

        var supervisor = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        await Expect(supervisor.Locator("#who")).ToContainTextAsync("supervisor");
        await Expect(supervisor.Locator("#figures-tab")).ToBeVisibleAsync();

        var responder = await PageDriver.ResponderAsync(fixture, Demo.Responder.User, Demo.Responder.Password);
        await Expect(responder.Locator("#duty-toggle")).ToBeVisibleAsync();

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#username", Demo.Handler.User);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#login-button");
        await Expect(page.Locator("#login-result")).ToHaveTextAsync("Wrong user name or password.");

        await Screenshots.SaveAsync(handler, "handler");
        await Screenshots.SaveAsync(supervisor, "supervisor");
        await Screenshots.SaveAsync(responder, "responder");
        await Screenshots.SaveAsync(page);
        await CloseAsync(handler, supervisor, responder);
    }

    [Fact]
    public async Task The_queue_is_ordered_by_priority_then_age_and_the_clock_turns_amber_then_red()
    {
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        Assert.Equal("4", await console.EvaluateAsync<string>("document.body.dataset.warnSeconds"));
        var first = await Demo.RaiseAsync(fixture, "pendant-010", "pendant.press");
        var second = await Demo.RaiseAsync(fixture, "pendant-011", "smoke.alarm");
        await Expect(PageDriver.Row(console, first)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(console, second)).ToBeVisibleAsync();

        var priorities = await console.EvalOnSelectorAllAsync<int[]>("#queue-body tr.call-row", "rows => rows.map(r => Number(r.dataset.priority))");
        Assert.Equal(priorities.Order(), priorities);
        var rows = await console.EvalOnSelectorAllAsync<string[]>("#queue-body tr.call-row", "rows => rows.map(r => r.dataset.priority + '|' + r.querySelector('td.clock').dataset.raisedAt)");
        for (var i = 1; i < rows.Length; i++)
        {
            var (p0, t0) = (rows[i - 1].Split('|')[0], DateTimeOffset.Parse(rows[i - 1].Split('|')[1], System.Globalization.CultureInfo.InvariantCulture));
            var (p1, t1) = (rows[i].Split('|')[0], DateTimeOffset.Parse(rows[i].Split('|')[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(string.CompareOrdinal(p0, p1) < 0 || t0 <= t1, $"row {i} out of order: {rows[i - 1]} then {rows[i]}");
        }

        var clock = PageDriver.Row(console, first).Locator("td.clock");
        await Expect(clock).ToHaveAttributeAsync("data-level", "warn", Slow);
        await Screenshots.SaveAsync(console, "amber");
        await Expect(clock).ToHaveAttributeAsync("data-level", "escalate", Slow);
        await Screenshots.SaveAsync(console);
        await CloseAsync(console);
    }

    [Fact]
    public async Task A_claim_on_one_console_is_seen_taken_on_the_other()
    {
        var first = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var second = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        var id = await Demo.RaiseAsync(fixture, "pendant-020", "pendant.press");
        await Expect(PageDriver.Row(second, id).Locator("button.claim")).ToBeVisibleAsync();

        await PageDriver.Row(first, id).Locator("button.claim").ClickAsync();
        await Expect(first.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        await Expect(PageDriver.Row(second, id)).ToHaveAttributeAsync("data-state", "Answered");
        await Expect(PageDriver.Row(second, id).Locator("button.claim")).ToHaveCountAsync(0);

        await Screenshots.SaveAsync(first, "first");
        await Screenshots.SaveAsync(second);
        await CloseAsync(first, second);
    }

    internal static async Task CloseAsync(params IPage[] pages)
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }
}
