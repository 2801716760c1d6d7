using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Admin;

public sealed class AdminApiTests : IClassFixture<AdminApiTests.Factory>
{
    private readonly GatewayFactory _factory;
    private readonly HttpClient _admin;
    private readonly HttpClient _installer;

    public AdminApiTests(Factory factory)
    {
        _factory = factory;
        _admin = factory.ClientAs(Roles.Admin);
        _installer = factory.ClientAs(Roles.Installer);
    }

    public sealed class Factory() : GatewayFactory(null);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task AssertProblemNames(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Body(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"problem should name '{field}': {problem}");
    }

    private async Task<long> CreateZone(string name)
    {
        var response = await _admin.PostAsync("/api/v1/zones", Json($$"""{"name":"{{name}}","attendanceTargetMinutes":40}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Body(response)).GetProperty("id").GetInt64();
    }

    private async Task<long> CreateResident(long zone, string last = "Hawkins")
    {
        var response = await _installer.PostAsync("/api/v1/residents", Json($$"""
            {"firstName":"Edith","lastName":"{{last}}","address":"4 Castle Street, Salisbury","postcode":"SP1 1AA","phone":"01722 000111",
             "zoneId":{{zone}},"flags":["falls-risk","lives-alone"],"medicalNotes":"Warfarin; type 2 diabetes","accessDetails":"Key safe 4417 left of door",
             "contacts":[{"name":"Sue Hawkins","relationship":"daughter","phone":"07700 900123","isKeyholder":true}]}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Body(response)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Zones_create_read_update_and_conflict()
    {
        var id = await CreateZone("Tisbury-test");
        var read = await Body(await _installer.GetAsync($"/api/v1/zones/{id}"));
        Assert.Equal(40, read.GetProperty("attendanceTargetMinutes").GetInt32());

        var update = await _admin.PutAsync($"/api/v1/zones/{id}", Json("""{"name":"Tisbury-renamed","attendanceTargetMinutes":30}"""));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("Tisbury-renamed", (await Body(update)).GetProperty("name").GetString());

        var duplicate = await _admin.PostAsync("/api/v1/zones", Json("""{"name":"Tisbury-renamed"}"""));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/zones/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsync("/api/v1/zones/999999", Json("""{"name":"x"}"""))).StatusCode);
        await AssertProblemNames(await _admin.PostAsync("/api/v1/zones", Json("""{"attendanceTargetMinutes":30}""")), HttpStatusCode.BadRequest, "name");
        await AssertProblemNames(await _admin.PostAsync("/api/v1/zones", Json("""{"name":"x","attendanceTargetMinutes":"soon"}""")), HttpStatusCode.BadRequest, "attendanceTargetMinutes");
        await AssertProblemNames(await _admin.PostAsync("/api/v1/zones", Json("""{"name":"x",""")), HttpStatusCode.BadRequest, "body");
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM audit WHERE action = 'zone.update' AND target = 'zone/{id}'"));
    }

    [Fact]
    public async Task Residents_keep_contacts_and_flags_protect_notes_at_rest_and_reveal_access_details_only_on_request()
    {
        var zone = await CreateZone("Wilton-test");
        var id = await CreateResident(zone);

        var resident = await Body(await _installer.GetAsync($"/api/v1/residents/{id}"));
        Assert.Equal("Wilton-test", resident.GetProperty("zoneName").GetString());
        Assert.Equal(new[] { "falls-risk", "lives-alone" }, resident.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray());
        Assert.Equal("Warfarin; type 2 diabetes", resident.GetProperty("medicalNotes").GetString());
        Assert.True(resident.GetProperty("hasAccessDetails").GetBoolean());
        Assert.DoesNotContain("4417", resident.GetRawText());
        Assert.True(resident.GetProperty("contacts")[0].GetProperty("isKeyholder").GetBoolean());

        // Protected at rest: the plain text is not in the database file's columns.
        Assert.Equal(0, _factory.Scalar($"SELECT COUNT(*) FROM residents WHERE id = {id} AND (access_details_protected LIKE '%4417%' OR medical_notes_protected LIKE '%Warfarin%')"));

        var audits = _factory.Scalar("SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.reveal'");
        Assert.Equal(HttpStatusCode.Forbidden, (await _installer.GetAsync($"/api/v1/residents/{id}/access-details")).StatusCode);
        var reveal = await _factory.ClientAs(Roles.Handler).GetAsync($"/api/v1/residents/{id}/access-details");
        Assert.Equal(HttpStatusCode.OK, reveal.StatusCode);
        Assert.Equal("Key safe 4417 left of door", (await Body(reveal)).GetProperty("accessDetails").GetString());
        Assert.Equal(audits + 1, _factory.Scalar("SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.reveal'"));
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM audit WHERE action = 'resident.access-details.reveal' AND target = 'resident/{id}' AND actor = 'key:test-handler'"));

        var search = await Body(await _factory.ClientAs(Roles.Handler).GetAsync("/api/v1/residents?q=07700%20900123"));
        Assert.Contains(search.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        var byStreet = await Body(await _factory.ClientAs(Roles.Handler).GetAsync("/api/v1/residents?q=Castle%20Street"));
        Assert.Contains(byStreet.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task A_resident_with_an_unknown_zone_is_refused_and_nothing_is_written()
    {
        var before = _factory.Scalar("SELECT COUNT(*) FROM residents");
        var response = await _installer.PostAsync("/api/v1/residents", Json("""
            {"firstName":"A","lastName":"B","address":"C","zoneId":987654,"contacts":[{"name":"D","phone":"0123"}]}
            """));
        await AssertProblemNames(response, HttpStatusCode.BadRequest, "zoneId");
        Assert.Equal(before, _factory.Scalar("SELECT COUNT(*) FROM residents"));
        await AssertProblemNames(await _installer.PostAsync("/api/v1/residents", Json("""{"firstName":"A","address":"C"}""")), HttpStatusCode.BadRequest, "lastName");
        await AssertProblemNames(await _installer.PostAsync("/api/v1/residents", Json("""{"firstName":"A","lastName":"B","address":"C","contacts":[{"name":"D"}]}""")), HttpStatusCode.BadRequest, "contacts[0].phone");
    }

    [Fact]
    public async Task A_device_secret_is_shown_once_stored_hashed_and_never_listed()
    {
        var zone = await CreateZone("Pewsey-test");
        var resident = await CreateResident(zone, "Secretkeeper");
        var response = await _installer.PostAsync("/api/v1/devices", Json($$"""
            {"type":"pendant","deviceId":"pendant-secret-1","residentId":{{resident}},"checkinIntervalSeconds":3600,
             "allocationCondition":"falls risk","allocationReason":"lives alone, two falls this year"}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Body(response);
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("device").GetProperty("id").GetInt64();
        Assert.True(secret.Length >= 20);

        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(1, _factory.Scalar($"SELECT COUNT(*) FROM devices WHERE id = {id} AND secret_hash = '{expectedHash}'"));
        var list = await (await _installer.GetAsync("/api/v1/devices")).Content.ReadAsStringAsync();
        var one = await (await _installer.GetAsync($"/api/v1/devices/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain(secret, one);
        Assert.DoesNotContain(expectedHash, list);

        Assert.Equal(HttpStatusCode.Conflict, (await _installer.PostAsync("/api/v1/devices", Json("""{"type":"pendant","deviceId":"pendant-secret-1"}"""))).StatusCode);
        await AssertProblemNames(await _installer.PostAsync("/api/v1/devices", Json("""{"type":"toaster","deviceId":"x"}""")), HttpStatusCode.BadRequest, "type");
        await AssertProblemNames(await _installer.PostAsync("/api/v1/devices", Json("""{"type":"pendant"}""")), HttpStatusCode.BadRequest, "deviceId");
    }

    [Fact]
    public async Task Devices_bind_go_into_test_mode_with_expiry_and_retire()
    {
        var zone = await CreateZone("Devizes-test");
        var resident = await CreateResident(zone, "Binder");
        var account = await Body(await _installer.PostAsync("/api/v1/devices", Json("""{"type":"receiver-account","receiverId":"rx9","account":"4321"}""")));
        Assert.Equal("rx9/4321", account.GetProperty("device").GetProperty("deviceId").GetString());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("secret").ValueKind);
        var id = account.GetProperty("device").GetProperty("id").GetInt64();

        await AssertProblemNames(await _installer.PutAsync($"/api/v1/devices/{id}/binding", Json("""{"residentId":99999}""")), HttpStatusCode.BadRequest, "residentId");
        Assert.Equal(0, _factory.Scalar($"SELECT COUNT(*) FROM devices WHERE id = {id} AND resident_id IS NOT NULL"));
        var bound = await _installer.PutAsync($"/api/v1/devices/{id}/binding", Json($$"""{"residentId":{{resident}}}"""));
        Assert.Equal(resident, (await Body(bound)).GetProperty("residentId").GetInt64());

        var test = await Body(await _installer.PutAsync($"/api/v1/devices/{id}/test-mode", Json("""{"enabled":true,"minutes":30}""")));
        var until = test.GetProperty("testModeUntil").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        var off = await Body(await _installer.PutAsync($"/api/v1/devices/{id}/test-mode", Json("""{"enabled":false}""")));
        Assert.Equal(JsonValueKind.Null, off.GetProperty("testModeUntil").ValueKind);

        Assert.Equal("retired", (await Body(await _installer.PostAsync($"/api/v1/devices/{id}/retire", null))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _installer.PostAsync($"/api/v1/devices/{id}/retire", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _installer.PutAsync($"/api/v1/devices/{id}/test-mode", Json("""{"enabled":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _installer.PostAsync("/api/v1/devices/999999/retire", null)).StatusCode);
    }

    [Fact]
    public async Task Responders_users_and_api_keys()
    {
        var zone = await CreateZone("Amesbury-test");
        var user = await _admin.PostAsync("/api/v1/users", Json("""{"username":"night.rider","displayName":"Night Rider","role":"responder","password":"long-enough-password"}"""));
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var userId = (await Body(user)).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsync("/api/v1/users", Json("""{"username":"night.rider","role":"responder","password":"long-enough-password"}"""))).StatusCode);
        await AssertProblemNames(await _admin.PostAsync("/api/v1/users", Json("""{"username":"x.y.z","role":"king","password":"long-enough-password"}""")), HttpStatusCode.BadRequest, "role");
        await AssertProblemNames(await _admin.PostAsync("/api/v1/users", Json("""{"username":"x.y.z","role":"handler","password":"short"}""")), HttpStatusCode.BadRequest, "password");
        Assert.DoesNotContain("password", (await (await _admin.GetAsync("/api/v1/users")).Content.ReadAsStringAsync()).ToLowerInvariant().Replace("\"username\"", ""));

        var responder = await _installer.PostAsync("/api/v1/responders", Json($$"""{"name":"Night Rider","zoneId":{{zone}},"onDuty":true,"userId":{{userId}}}"""));
        Assert.Equal(HttpStatusCode.Created, responder.StatusCode);
        var responderId = (await Body(responder)).GetProperty("id").GetInt64();
        var updated = await Body(await _installer.PutAsync($"/api/v1/responders/{responderId}", Json($$"""{"name":"Night Rider","zoneId":{{zone}},"onDuty":false,"userId":{{userId}}}""")));
        Assert.False(updated.GetProperty("onDuty").GetBoolean());
        await AssertProblemNames(await _installer.PostAsync("/api/v1/responders", Json("""{"name":"X","userId":1}""")), HttpStatusCode.BadRequest, "userId");

        var created = await Body(await _admin.PostAsync("/api/v1/api-keys", Json("""{"name":"care-system","role":"installer"}""")));
        var key = created.GetProperty("key").GetString()!;
        var keyId = created.GetProperty("apiKey").GetProperty("id").GetInt64();
        using var integration = _factory.ClientAs(null);
        integration.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, key);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/v1/devices")).StatusCode);
        Assert.DoesNotContain(key, await (await _admin.GetAsync("/api/v1/api-keys")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"/api/v1/api-keys/{keyId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await Body(await _factory.ClientAs(null).GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/devices/", out _) || paths.TryGetProperty("/api/v1/devices", out _));
        Assert.True(paths.TryGetProperty("/api/v1/signals", out _));
    }
}
