using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Tests.Support;

/// <summary>
/// The real gateway in-process on a temp SQLite file and temp log folder. Extra settings override the root
/// appsettings.json exactly as environment variables would.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _directory = new();

    public GatewayFactory(IDictionary<string, string?>? settings = null)
    {
        Settings = new Dictionary<string, string?>
        {
            ["Store:Path"] = _directory.File("telecare.db"),
            ["Store:BackupFolder"] = _directory.File("backups"),
            ["Store:BackupIntervalMinutes"] = "0",
            ["Serilog:WriteTo:1:Args:path"] = _directory.File("logs/gateway-.log"),
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Security:Bootstrap:AdminPassword"] = AdminPassword,
            // Each test host gets its own free port for the embedded MQTT broker.
            ["Mqtt:Port"] = "0",
            ["Mqtt:Address"] = "127.0.0.1",
        };
        var index = 0;
        foreach (var role in Roles.All)
        {
            Settings[$"Security:Bootstrap:ApiKeys:{index}:Name"] = $"test-{role}";
            Settings[$"Security:Bootstrap:ApiKeys:{index}:Role"] = role;
            Settings[$"Security:Bootstrap:ApiKeys:{index}:Key"] = ApiKeyFor(role);
            index++;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }

    public const string AdminPassword = "admin-password-for-tests";

    public Dictionary<string, string?> Settings { get; }

    /// <summary>Replaces services after the app's own registrations (a manual clock, say).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>The bootstrap API key each test client uses for <paramref name="role"/>.</summary>
    public static string ApiKeyFor(string role) => $"tgk_test{role}_{role}-key-for-tests-0123456789";

    public string DataDirectory => _directory.Path;

    public string DatabasePath => Settings["Store:Path"]!;

    public string LogDirectory => _directory.File("logs");

    public long Scalar(string sql) => StoreFile.Scalar(DatabasePath, sql);

    /// <summary>A client that authenticates with the bootstrap API key of <paramref name="role"/> (null: anonymous).</summary>
    public HttpClient ClientAs(string? role)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, ApiKeyFor(role));
        }

        return client;
    }

    /// <summary>A client with a cookie jar (for sign-in tests).</summary>
    public HttpClient BrowserClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Connects a hub client over the test server's WebSocket, authenticated by a role's API key or a sign-in cookie.</summary>
    public Task<HubClient> HubAsync(string path, string? role = null, string? cookie = null) =>
        HubClient.ConnectAsync(async cancellationToken =>
        {
            var client = Server.CreateWebSocketClient();
            client.ConfigureRequest = request =>
            {
                if (role is not null)
                {
                    request.Headers[Policies.ApiKeyHeader] = ApiKeyFor(role);
                }

                if (cookie is not null)
                {
                    request.Headers.Cookie = cookie;
                }
            };
            return await client.ConnectAsync(new Uri(Server.BaseAddress, path), cancellationToken);
        });

    /// <summary>
    /// Serves over real Kestrel sockets instead of the in-memory test server (where a client that stops reading
    /// never pushes back). Call before anything else uses the factory; returns the server's address.
    /// </summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        KestrelAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        return KestrelAddress;
    }

    public Uri? KestrelAddress { get; private set; }

    /// <summary>An HTTP client to the Kestrel server with the bootstrap API key of <paramref name="role"/>.</summary>
    public HttpClient KestrelClientAs(string role)
    {
        var client = new HttpClient { BaseAddress = KestrelAddress ?? throw new InvalidOperationException("StartKestrel first") };
        client.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, ApiKeyFor(role));
        return client;
    }

    /// <summary>A hub client over a real WebSocket to the Kestrel server.</summary>
    public Task<HubClient> KestrelHubAsync(string path, string role) =>
        HubClient.ConnectAsync(async cancellationToken =>
        {
            var socket = new System.Net.WebSockets.ClientWebSocket();
            socket.Options.SetRequestHeader(Policies.ApiKeyHeader, ApiKeyFor(role));
            var address = KestrelAddress ?? throw new InvalidOperationException("StartKestrel first");
            await socket.ConnectAsync(new UriBuilder(address) { Scheme = "ws", Path = path }.Uri, cancellationToken);
            return socket;
        });

    /// <summary>Signs in with a password and returns the cookie header value for later requests and hub connections.</summary>
    public async Task<string> SignInAsync(string username, string password)
    {
        using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var response = await client.PostAsync("/api/v1/auth/login",
            new StringContent($$"""{"username":"{{username}}","password":"{{password}}"}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(Settings));
        if (TestServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
        }
    }
}
