using System.Net;
using Microsoft.Playwright;

namespace Telecare.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PageServingTests(BrowserFixture fixture)
{
    private HttpClient Http() => new(new HttpClientHandler { AllowAutoRedirect = false })
    {
        BaseAddress = fixture.Gateway.BaseAddress,
        Timeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task Pages_and_the_npm_SignalR_bundle_are_served_by_the_gateway_itself()
    {
        using var http = Http();

        using var login = await http.GetAsync("login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("text/html", login.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("id=\"login-form\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The browser bundle of @microsoft/signalr, installed by npm ci during the build.
        using var bundle = await http.GetAsync("lib/signalr/signalr.min.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Contains("HubConnectionBuilder", await bundle.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await http.GetAsync("js/console.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);

        using var missing = await http.GetAsync("js/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/", "/login?next=%2F")]
    [InlineData("/responder", "/login?next=%2Fresponder")]
    public async Task A_page_asks_an_anonymous_browser_to_sign_in(string page, string expected)
    {
        using var http = Http();
        using var response = await http.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);

        await using var context = await fixture.NewContextAsync(phone: page == "/responder");
        var browserPage = await context.NewPageAsync();
        await browserPage.GotoAsync(page);
        await Assertions.Expect(browserPage).ToHaveURLAsync(fixture.Gateway.BaseAddress.ToString().TrimEnd('/') + expected);
        await Assertions.Expect(browserPage.Locator("#login-form")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(browserPage, page == "/" ? "console" : "responder");
    }

    [Fact]
    public async Task The_login_page_loads_nothing_from_outside_the_gateway_and_says_what_is_missing()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?next=%2F$"));
        await page.ClickAsync("#login-button");
        await Assertions.Expect(page.Locator("#login-result")).ToHaveTextAsync("Enter your user name and password.");
        await Screenshots.SaveAsync(page);

        Assert.Empty(errors);
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.True(
            url.StartsWith(fixture.Gateway.BaseAddress.ToString(), StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal),
            $"request outside the gateway: {url}"));
    }
}
