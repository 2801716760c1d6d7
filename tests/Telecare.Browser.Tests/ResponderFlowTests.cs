using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

/// <summary>From a claimed call to the responder's visit and back to the handler.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ResponderFlowTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task Assigned_responder_accepts_travels_arrives_leaves_and_the_handler_resolves_and_closes()
    {
        var mine = await PageDriver.ResponderAsync(fixture, Demo.Responder.User, Demo.Responder.Password);
        var other = await PageDriver.ResponderAsync(fixture, "responder2", Demo.Password);
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);

        var id = await Demo.RaiseAsync(fixture, "pendant-001", "fall.detected");
        await PageDriver.Row(console, id).Locator("button.claim").ClickAsync();
        await Expect(console.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        await console.Locator("#responder-list input[data-name*='Salisbury']").CheckAsync();
        await console.ClickAsync("#assign-button");
        await Expect(console.Locator("#action-result")).ToContainTextAsync("assigned");

        var card = mine.Locator($"article.assignment[data-call-id='{id}']");
        await Expect(card).ToHaveAttributeAsync("data-state", "Offered", Slow);
        await Expect(mine.Locator("body")).ToHaveAttributeAsync("data-last-tone", new Regex("assignment$"));
        await Screenshots.SaveAsync(mine, "offered");

        foreach (var (button, state) in new[] { ("Accept", "Accepted"), ("EnRoute", "EnRoute"), ("Arrived", "Arrived"), ("Left", "Left") })
        {
            await card.Locator($"button[data-action='{button}']").ClickAsync();
            await Expect(card).ToHaveAttributeAsync("data-state", state);
        }

        await card.Locator("button[data-action='Complete']").First.ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        await Expect(other.Locator($"article.assignment[data-call-id='{id}']")).ToHaveCountAsync(0);

        var row = PageDriver.Row(console, id);
        if (await row.GetAttributeAsync("data-state") != "Resolved")
        {
            await console.SelectOptionAsync("#outcome", new SelectOptionValue { Index = 1 });
            await console.ClickAsync("#resolve-button");
            await Expect(console.Locator("#action-result")).ToHaveTextAsync(new Regex("^Resolved"));
        }

        await Expect(console.Locator("#close-button")).ToBeEnabledAsync();
        await console.ClickAsync("#close-button");
        await Expect(row).ToHaveCountAsync(0);

        await Screenshots.SaveAsync(other, "other-responder");
        await Screenshots.SaveAsync(mine, "responder");
        await Screenshots.SaveAsync(console);
        await LiveConsoleTests.CloseAsync(mine, other, console);
    }
}
