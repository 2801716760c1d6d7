using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

/// <summary>A handler's other tools: a manual call for a resident found by phone number, notes, 999, and a muted console.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleActionsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_manual_call_is_raised_for_a_resident_found_by_phone_and_worked_with_a_note_and_999()
    {
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var other = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        await console.ClickAsync("#manual-open");
        await console.FillAsync("#manual-query", "01380 700007");
        await console.ClickAsync("#manual-find");
        await Expect(console.Locator("#manual-results button.pick")).ToHaveCountAsync(1);
        await Expect(console.Locator("#manual-results")).ToContainTextAsync("8 Church Lane");
        await console.Locator("#manual-results button.pick").ClickAsync();
        await console.FillAsync("#manual-note", "Daughter rang: no answer from her mother since this morning");
        await console.ClickAsync("#manual-raise-button");
        await Expect(console.Locator("#manual-dialog")).Not.ToBeVisibleAsync();

        // The new call is on both consoles, marked manual, and open in the raiser's panel.
        var row = console.Locator("tr.call-row", new() { Has = console.Locator("span.tag", new() { HasTextString = "manual" }) }).Last;
        await Expect(row).ToBeVisibleAsync();
        var id = long.Parse((await row.GetAttributeAsync("data-call-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(PageDriver.Row(other, id)).ToContainTextAsync("manual");
        await Expect(console.Locator("#resident-address")).ToContainTextAsync("8 Church Lane");

        if (await PageDriver.Row(console, id).Locator("button.claim").CountAsync() > 0)
        {
            await PageDriver.Row(console, id).Locator("button.claim").ClickAsync();
            await Expect(console.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        }

        await console.FillAsync("#note-text", "Neighbour has a key; on the way round");
        await console.ClickAsync("#note-add");
        await Expect(console.Locator("#action-result")).ToHaveTextAsync("Note added.");
        await Expect(console.Locator("#timeline li[data-kind='AddNote']")).ToContainTextAsync("Neighbour has a key");

        await console.ClickAsync("#ems-button");
        await Expect(console.Locator("#action-result")).ToHaveTextAsync("Recorded: emergency services called.");
        await Expect(PageDriver.Row(other, id)).ToContainTextAsync("999");

        // A second try of an action that no longer applies shows its error instead of failing silently.
        await console.SelectOptionAsync("#outcome", new SelectOptionValue { Index = 1 });
        await console.ClickAsync("#resolve-button");
        await Expect(console.Locator("#action-result")).ToHaveTextAsync(new Regex("^Resolved"));
        // A resolved call offers a last note and closing, nothing that would work it again.
        await Expect(console.Locator("#finished-hint")).ToContainTextAsync("resolved");
        await Expect(console.Locator("#assign-form")).ToHaveCountAsync(0);
        await Expect(console.Locator("#resolve-form")).ToHaveCountAsync(0);
        await Expect(console.Locator("#ems-button")).ToHaveCountAsync(0);
        await Expect(console.Locator("#close-button")).ToBeEnabledAsync();
        await Expect(console.Locator("#note-form")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(console);
        await LiveConsoleTests.CloseAsync(console, other);
    }

    [Fact]
    public async Task A_muted_console_plays_no_tone_for_a_new_call_and_the_choice_is_per_console()
    {
        var muted = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var loud = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        await muted.ClickAsync("#sound-toggle");
        await Expect(muted.Locator("#sound-toggle")).ToHaveAttributeAsync("data-muted", "true");
        await Expect(loud.Locator("#sound-toggle")).ToHaveAttributeAsync("data-muted", "false");

        var id = await Demo.RaiseAsync(fixture, "pendant-012", "pendant.press");
        await Expect(PageDriver.Row(muted, id)).ToBeVisibleAsync();
        await Expect(PageDriver.Row(loud, id)).ToBeVisibleAsync();
        await Expect(muted.Locator("body")).ToHaveAttributeAsync("data-last-tone", new Regex("^muted:"));
        await Expect(loud.Locator("body")).ToHaveAttributeAsync("data-last-tone", new Regex("^[1-5]$"));
        await Screenshots.SaveAsync(muted);
        await LiveConsoleTests.CloseAsync(muted, loud);
    }
}
