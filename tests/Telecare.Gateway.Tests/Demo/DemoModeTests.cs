using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Demo;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Demo;

public sealed class DemoModeTests
{
    [Fact]
    public async Task Demo_mode_seeds_zones_residents_devices_responders_and_logins_once()
    {
        await using var directory = new TempDirectoryAsync();
        var database = Path.Combine(directory.Path, "demo.db");
        for (var start = 0; start < 2; start++)
        {
            using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Demo"] = "true", ["Store:Path"] = database });
            var handler = factory.BrowserClient();
            var login = await handler.PostAsJsonAsync("/api/v1/auth/login", new { username = "handler", password = DemoSeeder.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);

            var zones = await handler.GetFromJsonAsync<JsonElement[]>("/api/v1/zones");
            Assert.Equal(DemoSeeder.Zones.Order(), zones!.Select(z => z.GetProperty("name").GetString()!).Order());
            var residents = await handler.GetFromJsonAsync<JsonElement[]>("/api/v1/residents");
            Assert.Equal(30, residents!.Length);
            // A handler finds people by name: no two residents share one.
            Assert.Equal(30, residents.Select(r => $"{r.GetProperty("firstName").GetString()} {r.GetProperty("lastName").GetString()}").Distinct().Count());
            Assert.All(residents, r => Assert.True(r.GetProperty("contacts").GetArrayLength() > 0));

            var devices = await factory.ClientAs(Roles.Installer).GetFromJsonAsync<JsonElement[]>("/api/v1/devices");
            var types = devices!.Select(d => d.GetProperty("type").GetString()).ToHashSet();
            foreach (var type in new[] { "pendant", "fall-detector", "smoke", "co", "heat", "flood", "temperature", "door", "bed", "chair", "pir", "receiver-account" })
            {
                Assert.Contains(type, types);
            }

            var responders = await handler.GetFromJsonAsync<JsonElement[]>("/api/v1/responders");
            Assert.Equal(15, responders!.Count(r => r.GetProperty("onDuty").GetBoolean()));
            foreach (var login2 in new[] { "supervisor", "responder", "responder15" })
            {
                Assert.Equal(HttpStatusCode.OK, (await factory.BrowserClient().PostAsJsonAsync("/api/v1/auth/login", new { username = login2, password = DemoSeeder.Password })).StatusCode);
            }
        }
    }

    /// <summary>A temp folder shared by two gateway starts.</summary>
    private sealed class TempDirectoryAsync : IAsyncDisposable
    {
        private readonly TempDirectory _inner = new();

        public string Path => _inner.Path;

        public ValueTask DisposeAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
