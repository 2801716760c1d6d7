using Microsoft.Data.Sqlite;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

/// <summary>What a handler may and may not see: access details only on request and audited; never the supervisors' report.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessAndReportTests(BrowserFixture fixture)
{
    private long Reveals(string actor)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.Gateway.DataDirectory, "telecare.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.reveal' AND actor = $actor";
        command.Parameters.AddWithValue("$actor", actor);
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Access_details_are_shown_only_when_revealed_and_each_reveal_is_audited_against_the_handler()
    {
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var id = await Demo.RaiseAsync(fixture, "pendant-005", "pendant.press");
        await PageDriver.Row(console, id).Locator("button.claim").ClickAsync();
        await Expect(console.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        await Expect(console.Locator("#reveal-access")).ToBeVisibleAsync();

        // Demo resident 5 (pendant-005) has key-safe code 4004: nowhere on the page until asked for.
        Assert.DoesNotContain("4004", await console.ContentAsync(), StringComparison.Ordinal);
        var before = Reveals(Demo.Handler.User);

        await console.ClickAsync("#reveal-access");
        await Expect(console.Locator("#access-text")).ToContainTextAsync("code 4004");
        Assert.Equal(before + 1, Reveals(Demo.Handler.User));
        await Screenshots.SaveAsync(console);
        await LiveConsoleTests.CloseAsync(console);
    }

    [Fact]
    public async Task A_handler_has_no_figures_view_and_the_report_refuses_them()
    {
        var console = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        await Expect(console.Locator("#figures-tab")).ToBeHiddenAsync();
        var statuses = await console.EvaluateAsync<int[]>("""
            async () => Promise.all(['/api/v1/reports/kpi', '/api/v1/reports/kpi/zones', '/api/v1/reports/kpi/zones?format=csv']
              .map(async (url) => (await fetch(url, { credentials: 'same-origin' })).status))
            """);
        Assert.Equal([403, 403, 403], statuses);

        var supervisor = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        var allowed = await supervisor.EvaluateAsync<int>("async () => (await fetch('/api/v1/reports/kpi/zones', { credentials: 'same-origin' })).status");
        Assert.Equal(200, allowed);
        await Screenshots.SaveAsync(console);
        await LiveConsoleTests.CloseAsync(console, supervisor);
    }
}
