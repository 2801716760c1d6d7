using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Security;

#pragma warning disable CA1416 // the gateway runs on Linux; file modes are part of what is tested

public sealed class SignInTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task A_handler_signs_in_with_a_password_and_the_cookie_reaches_dispatch_endpoints_only()
    {
        using var factory = new GatewayFactory();
        var admin = factory.ClientAs(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/users", Json("""{"username":"hanna","displayName":"Hanna Handler","role":"handler","password":"correct horse battery"}"""))).StatusCode);
        var zone = await (await admin.PostAsync("/api/v1/zones", Json("""{"name":"Calne"}"""))).Content.ReadFromJsonAsync<JsonElement>();
        var resident = await (await admin.PostAsync("/api/v1/residents", Json($$"""{"firstName":"A","lastName":"B","address":"C","zoneId":{{zone.GetProperty("id")}},"accessDetails":"code 1234"}""")))
            .Content.ReadFromJsonAsync<JsonElement>();

        var browser = factory.BrowserClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/api/v1/auth/login", Json("""{"username":"hanna","password":"wrong password"}"""))).StatusCode);
        var login = await browser.PostAsync("/api/v1/auth/login", Json("""{"username":"hanna","password":"correct horse battery"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var me = await (await browser.GetAsync("/api/v1/auth/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("handler", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/v1/residents/{resident.GetProperty("id")}/access-details")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/users")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        using var factory = new GatewayFactory();
        var admin = factory.ClientAs(Roles.Admin);
        var user = await (await admin.PostAsync("/api/v1/users", Json("""{"username":"leaver","role":"handler","password":"long-enough-password"}"""))).Content.ReadFromJsonAsync<JsonElement>();
        await admin.PostAsync($"/api/v1/users/{user.GetProperty("id")}/disable", null);

        var response = await factory.BrowserClient().PostAsync("/api/v1/auth/login", Json("""{"username":"leaver","password":"long-enough-password"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_open_session()
    {
        using var factory = new GatewayFactory();
        var admin = factory.ClientAs(Roles.Admin);
        var user = await (await admin.PostAsync("/api/v1/users", Json("""{"username":"nightowl","role":"handler","password":"long-enough-password"}"""))).Content.ReadFromJsonAsync<JsonElement>();
        var browser = factory.BrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/api/v1/auth/login", Json("""{"username":"nightowl","password":"long-enough-password"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);

        await admin.PostAsync($"/api/v1/users/{user.GetProperty("id")}/disable", null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_is_rate_limited()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Security:LoginPermitLimit"] = "3", ["Security:LoginWindowSeconds"] = "600" });
        var browser = factory.BrowserClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await browser.PostAsync("/api/v1/auth/login", Json("""{"username":"admin","password":"guess"}"""))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_first_admin_gets_a_generated_password_in_an_owner_only_file_that_is_never_logged()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Security:Bootstrap:AdminPassword"] = "" });
        _ = factory.Server;
        var file = Path.Combine(factory.DataDirectory, "admin-password.txt");
        await Eventually.TrueAsync(() => File.Exists(file), TimeSpan.FromSeconds(10), "the admin password file");
        var lines = await File.ReadAllLinesAsync(file);
        var password = lines[1];
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var login = await factory.BrowserClient().PostAsync("/api/v1/auth/login", Json($$"""{"username":"admin","password":"{{password}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var logs = string.Join("\n", Directory.GetFiles(factory.LogDirectory).Select(ReadShared));
        Assert.Contains("admin-password.txt", logs);
        Assert.DoesNotContain(password, logs);
        Assert.DoesNotContain(GatewayFactory.ApiKeyFor(Roles.Admin), logs);
    }
}
