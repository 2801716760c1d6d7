using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Tests.Security;

/// <summary>
/// A full working run with every kind of secret (a password, an API key, a device secret, a key-safe code), each used
/// the way it is meant to be, and a wrong password tried too. Afterwards none of them is in the logs (at the most
/// verbose level), in the database file in plain text, or in any read of the API; the key-safe code only in the audited reveal.
/// </summary>
public sealed class SecretLeakTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Secrets_are_shown_once_at_creation_and_never_again_in_logs_reads_or_the_database_file()
    {
        const string password = "Correct-Horse-Battery-4417";
        const string wrongPassword = "Wrong-Horse-Battery-9931";
        const string keySafe = "KEYSAFE-CODE-7719";
        // The run's files live outside the factory's own folder, which it deletes when it stops.
        using var data = new TempDirectory();
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Store:Path"] = data.File("telecare.db"),
            ["Serilog:WriteTo:1:Args:path"] = data.File("logs/gateway-.log"),
        });
        var admin = factory.ClientAs(Roles.Admin);
        var installer = factory.ClientAs(Roles.Installer);

        var user = await admin.PostAsync("/api/v1/users", Json($$"""{"username":"leaky","role":"handler","password":"{{password}}"}"""));
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        Assert.DoesNotContain(password, await user.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await admin.PostAsync("/api/v1/api-keys", Json("""{"name":"integration","role":"installer"}"""));
        var apiKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var resident = (await (await installer.PostAsync("/api/v1/residents", Json($$"""
            {"firstName":"Secret","lastName":"Keeper","address":"1 Vault Lane","accessDetails":"Key safe {{keySafe}}"}
            """))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var registered = await installer.PostAsync("/api/v1/devices", Json($$"""{"type":"pendant","deviceId":"leak-pendant","residentId":{{resident}}}"""));
        var deviceSecret = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        string[] secrets = [password, wrongPassword, apiKey, deviceSecret, keySafe];

        // Use each one.
        using (var viaKey = factory.CreateClient())
        {
            viaKey.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, apiKey);
            Assert.Equal(HttpStatusCode.OK, (await viaKey.GetAsync("/api/v1/devices")).StatusCode);
        }

        using (var wrong = factory.CreateClient())
        {
            var refused = await wrong.PostAsync("/api/v1/auth/login", Json($$"""{"username":"leaky","password":"{{wrongPassword}}"}"""));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var cookie = await factory.SignInAsync("leaky", password);
        var port = factory.Services.GetRequiredService<MqttIngressService>().LocalEndPoint!.Port;
        await using (var device = new MqttClient(new MqttClientOptions { Port = port, ClientId = "leak-pendant", Username = "leak-pendant", Password = deviceSecret, AutoReconnect = false }))
        {
            await device.ConnectAsync();
            var published = await device.PublishAsync("telecare/v1/leak-pendant/event", """{"seq":1,"type":"pendant.press"}""");
            Assert.Equal(MqttReasonCode.Success, published.ReasonCode);
        }

        await using (var refusedDevice = new MqttClient(new MqttClientOptions { Port = port, ClientId = "leak-pendant", Username = "leak-pendant", Password = wrongPassword, AutoReconnect = false }))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => refusedDevice.ConnectAsync());
        }

        await using (var console = await factory.HubAsync("/hubs/dispatch", cookie: cookie))
        {
            await console.WaitForAsync("Snapshot");
            Assert.Contains(keySafe, (await console.InvokeAsync("RevealAccessDetails", resident)).GetString(), StringComparison.Ordinal);
        }

        // Every read an office role can make: none of the secrets, and the key-safe code only through the reveal.
        var reads = new List<string>();
        foreach (var path in new[] { "/api/v1/users", "/api/v1/api-keys", "/api/v1/devices", "/api/v1/residents", $"/api/v1/residents/{resident}",
                     "/api/v1/responders", "/api/v1/calls?open=false", "/api/v1/zones", "/openapi/v1.json" })
        {
            var response = await admin.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            reads.Add(path + ": " + await response.Content.ReadAsStringAsync());
        }

        var calls = await factory.ClientAs(Roles.Handler).GetFromJsonAsync<JsonElement[]>("/api/v1/calls?open=false");
        foreach (var call in calls!)
        {
            var id = call.GetProperty("id").GetInt64();
            reads.Add($"call {id}: " + await factory.ClientAs(Roles.Handler).GetStringAsync($"/api/v1/calls/{id}"));
            reads.Add($"timeline {id}: " + await factory.ClientAs(Roles.Handler).GetStringAsync($"/api/v1/calls/{id}/timeline"));
        }

        // The logs of the whole run, flushed by stopping the host, and the database file with its WAL.
        await factory.DisposeAsync();
        var logs = Directory.GetFiles(data.File("logs")).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Contains("leak-pendant", StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
        var storeBytes = StoreFile.ReadAllBytes(data.File("telecare.db")).Select(b => Encoding.Latin1.GetString(b)).ToList();

        foreach (var secret in secrets)
        {
            Assert.All(reads, r => Assert.DoesNotContain(secret, r, StringComparison.Ordinal));
            Assert.All(logs, l => Assert.DoesNotContain(secret, l, StringComparison.Ordinal));
            Assert.All(storeBytes, b => Assert.DoesNotContain(secret, b, StringComparison.Ordinal));
        }
    }
}
