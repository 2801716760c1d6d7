using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Telecare.Browser.Tests;

/// <summary>Signing in and waiting for the pages' live state, as a person would: through the login form.</summary>
public static class PageDriver
{
    public static async Task<IPage> SignInAsync(IBrowserContext context, string username, string password, string expectedPath)
    {
        var page = await context.NewPageAsync();
        page.PageError += (_, e) => Console.Error.WriteLine($"[page error] {e}");
        await page.GotoAsync("/login");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-button");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(expectedPath) + "$"));
        return page;
    }

    /// <summary>Waits until the page's hub connection is up and its snapshot applied.</summary>
    public static Task ConnectedAsync(IPage page) =>
        Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

    public static ILocator Row(IPage page, long callId) => page.Locator($"tr.call-row[data-call-id='{callId}']");

    public static async Task<IPage> ConsoleAsync(BrowserFixture fixture, string username, string password)
    {
        var context = await fixture.NewContextAsync();
        var page = await SignInAsync(context, username, password, "/");
        await ConnectedAsync(page);
        return page;
    }

    public static async Task<IPage> ResponderAsync(BrowserFixture fixture, string username, string password)
    {
        var context = await fixture.NewContextAsync(phone: true);
        var page = await SignInAsync(context, username, password, "/responder");
        await ConnectedAsync(page);
        return page;
    }
}
