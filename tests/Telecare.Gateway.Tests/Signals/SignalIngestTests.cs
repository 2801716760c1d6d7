using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Signals;

public sealed class SignalIngestTests : IClassFixture<SignalIngestTests.Factory>
{
    private readonly Factory _factory;
    private readonly HttpClient _client;

    public SignalIngestTests(Factory factory)
    {
        _factory = factory;
        _client = factory.ClientAs(Roles.Installer);
    }

    public sealed class Factory() : GatewayFactory(new Dictionary<string, string?> { ["Signals:MaxBodyBytes"] = "1024" });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private long Count(string where) => _factory.Scalar($"SELECT COUNT(*) FROM signals WHERE {where}");

    [Fact]
    public async Task An_accepted_signal_gets_202_with_a_receipt_after_it_is_stored()
    {
        var response = await _client.PostAsync("/api/v1/signals",
            Json("""{"deviceId":"http-accept","seq":1,"ts":"2026-11-22T03:12:09Z","type":"fall.detected","battery":80,"data":{"room":"hall"},"extra":1}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = receipt.GetProperty("signalId").GetInt64();
        Assert.False(receipt.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, Count($"id = {id} AND device_ref = 'http-accept' AND event_type = 'fall.detected' AND battery = 80 AND rejection_reason IS NULL AND source = 3"));
        Assert.Equal(1, Count($"id = {id} AND CAST(raw_frame AS TEXT) LIKE '%\"extra\":1%'"));
    }

    [Fact]
    public async Task A_duplicate_gets_200_with_the_earlier_receipt_and_is_stored_once()
    {
        const string body = """{"deviceId":"http-dup","seq":42,"type":"pendant.press"}""";
        var first = await _client.PostAsync("/api/v1/signals", Json(body));
        var second = await _client.PostAsync("/api/v1/signals", Json(body));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>();
        var b = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(a.GetProperty("signalId").GetInt64(), b.GetProperty("signalId").GetInt64());
        Assert.True(b.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, Count("device_ref = 'http-dup'"));
    }

    [Theory]
    [InlineData("{\"deviceId\":\"bad-json\",", "body")]
    [InlineData("[1,2,3]", "body")]
    [InlineData("{\"type\":\"pendant.press\"}", "deviceId")]
    [InlineData("{\"deviceId\":17,\"type\":\"pendant.press\"}", "deviceId")]
    [InlineData("{\"deviceId\":\"bad-type\"}", "type")]
    [InlineData("{\"deviceId\":\"bad-type2\",\"type\":\"pendant.squeeze\"}", "type")]
    [InlineData("{\"deviceId\":\"bad-seq\",\"type\":\"pendant.press\",\"seq\":\"seventeen\"}", "seq")]
    [InlineData("{\"deviceId\":\"bad-seq2\",\"type\":\"pendant.press\",\"seq\":-1}", "seq")]
    [InlineData("{\"deviceId\":\"bad-ts\",\"type\":\"pendant.press\",\"ts\":\"yesterday\"}", "ts")]
    [InlineData("{\"deviceId\":\"bad-restore\",\"type\":\"pendant.press\",\"restore\":\"no\"}", "restore")]
    [InlineData("{\"deviceId\":\"bad-battery\",\"type\":\"pendant.press\",\"battery\":101}", "battery")]
    [InlineData("{\"deviceId\":\"bad-data\",\"type\":\"pendant.press\",\"data\":[1]}", "data")]
    public async Task Malformed_bodies_get_400_naming_the_field_and_are_stored_only_as_rejected(string body, string field)
    {
        var before = Count("1=1");
        var response = await _client.PostAsync("/api/v1/signals", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"problem should name '{field}': {problem}");
        Assert.Equal(before + 1, Count("1=1"));
        Assert.Equal(1, Count($"rejection_reason LIKE '{field}:%' AND raw_frame = CAST('{body.Replace("'", "''")}' AS BLOB)"));
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_a_reason_and_stored_cut_as_rejected()
    {
        var body = "{\"deviceId\":\"big\",\"type\":\"pendant.press\",\"data\":{\"pad\":\"" + new string('x', 5000) + "\"}}";
        var response = await _client.PostAsync("/api/v1/signals", Json(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("1024", problem.GetProperty("detail").GetString());
        Assert.Equal(1, Count("rejection_reason LIKE 'body larger than 1024 bytes%' AND length(raw_frame) = 1024"));
        Assert.Equal(0, Count("device_ref = 'big'"));
    }

    [Fact]
    public async Task Anonymous_and_wrong_roles_are_refused_and_nothing_is_stored()
    {
        const string body = """{"deviceId":"http-authz","seq":1,"type":"pendant.press"}""";
        var anonymous = await _factory.ClientAs(null).PostAsync("/api/v1/signals", Json(body));
        var handler = await _factory.ClientAs(Roles.Handler).PostAsync("/api/v1/signals", Json(body));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, handler.StatusCode);
        Assert.Equal(0, Count("device_ref = 'http-authz'"));
    }

    [Fact]
    public async Task Health_endpoints_answer_and_ready_reports_the_store()
    {
        var client = _factory.ClientAs(null);
        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }
}
