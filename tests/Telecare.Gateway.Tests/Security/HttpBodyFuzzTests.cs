using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Security;

/// <summary>
/// Seeded fuzzing of every JSON body the gateway takes: valid bodies mutated (fields dropped, retyped, nulled, made
/// huge or deep; bytes flipped; bodies cut short). Every answer must be a deliberate one (2xx, 400, 404, 409, 413) —
/// a 500 is an unhandled exception — and a rejected signal body must still be stored with its reason.
/// Iterations come from TELECARE_FUZZ_ITERATIONS (default 150 per endpoint here; soak runs use more). The seed is
/// printed on failure so a run can be repeated with TELECARE_FUZZ_SEED.
/// </summary>
public sealed class HttpBodyFuzzTests
{
    private static readonly HashSet<HttpStatusCode> Deliberate =
    [
        HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.NoContent, HttpStatusCode.BadRequest,
        HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests,
    ];

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("TELECARE_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? Math.Min(n, 5000) / 7 + 1
            : 150;

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("TELECARE_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20261202;

    [Fact]
    public async Task Mutated_bodies_get_a_deliberate_answer_never_a_500_and_rejected_signals_are_stored()
    {
        const int maxSignalBody = 16 * 1024;
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Security:LoginPermitLimit"] = "10000",
            ["Signals:MaxBodyBytes"] = maxSignalBody.ToString(CultureInfo.InvariantCulture),
        });
        var admin = factory.ClientAs(Roles.Admin);
        var zone = await admin.PostAsync("/api/v1/zones", new StringContent("""{"name":"Fuzzton","attendanceTargetMinutes":45}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, zone.StatusCode);
        var resident = await admin.PostAsync("/api/v1/residents", new StringContent("""{"firstName":"F","lastName":"Z","address":"1 Fuzz Lane"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, resident.StatusCode);
        var residentId = JsonNode.Parse(await resident.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

        (string Method, string Path, string Body)[] seeds =
        [
            ("POST", "/api/v1/signals", """{"deviceId":"fuzz-1","seq":1,"ts":"2026-11-22T03:12:09Z","type":"pendant.press","restore":false,"battery":87,"zone":"1","data":{"room":"hall"}}"""),
            ("POST", "/api/v1/residents", """{"firstName":"Ann","lastName":"Smith","address":"2 Mill Lane","postcode":"SN1 1AA","phone":"01380 123456","dateOfBirth":"1940-02-03","flags":["dementia"],"medicalNotes":"none","accessDetails":"key safe 1234","contacts":[{"name":"Bob","relationship":"son","phone":"07700 900123","isKeyholder":true,"priority":1}]}"""),
            ("POST", "/api/v1/devices", """{"type":"pendant","deviceId":"fuzz-dev","residentId":1,"checkinIntervalSeconds":3600,"allocationCondition":"falls","allocationReason":"lives alone"}"""),
            ("POST", "/api/v1/zones", """{"name":"Zone X","attendanceTargetMinutes":30}"""),
            ("POST", "/api/v1/users", """{"username":"fuzzer","role":"handler","password":"a-long-enough-password"}"""),
            ("PUT", $"/api/v1/residents/{residentId}/expected-activity", """{"rules":[{"name":"up","kind":"NoMovementBy","by":"10:00","from":"05:00","priority":"P2"},{"name":"night","kind":"OutOfBedLongerThan","limit":"00:30:00","window":"22:00-07:00"}]}"""),
            ("POST", "/api/v1/auth/login", """{"username":"admin","password":"wrong-password"}"""),
        ];

        var random = new Random(Seed);
        // A retry of the very same bad body is deduplicated like any other retry: count distinct bodies.
        var rejectedSignalBodies = new HashSet<string>();
        foreach (var (method, path, seed) in seeds)
        {
            for (var i = 0; i < Iterations; i++)
            {
                var body = Mutate(seed, random);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                var response = await admin.SendAsync(request);
                Assert.True(Deliberate.Contains(response.StatusCode),
                    $"{method} {path} answered {(int)response.StatusCode} (seed {Seed}, iteration {i}) to: {Encoding.UTF8.GetString(body)}\n{await response.Content.ReadAsStringAsync()}");
                if (path == "/api/v1/signals" && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
                {
                    // A body over the limit is kept up to the limit: what was read, never the whole of it.
                    rejectedSignalBodies.Add(Convert.ToBase64String(response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? body[..maxSignalBody] : body));
                }
            }
        }

        Assert.True(rejectedSignalBodies.Count > 0, "the generator never produced a bad signal body");
        var stored = new HashSet<string>();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT raw_frame FROM signals WHERE rejection_reason IS NOT NULL";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(Convert.ToBase64String((byte[])reader[0]));
            }
        }

        var missing = rejectedSignalBodies.Except(stored).Select(b => Encoding.UTF8.GetString(Convert.FromBase64String(b))).ToList();
        Assert.True(missing.Count == 0, $"rejected signal bodies not stored (seed {Seed}):\n{string.Join("\n", missing.Select(m => m.Length > 300 ? m[..300] + "…" : m))}");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health/ready")).StatusCode);
    }

    private static byte[] Mutate(string seed, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                // Bytes flipped anywhere, including into invalid UTF-8.
                var bytes = Encoding.UTF8.GetBytes(seed);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 2:
                return Encoding.UTF8.GetBytes(new string('[', random.Next(10, 400)) + new string(']', random.Next(0, 400)));
            default:
                var node = JsonNode.Parse(seed)!;
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    MutateOne(node, random);
                }

                return Encoding.UTF8.GetBytes(node.ToJsonString());
        }
    }

    private static void MutateOne(JsonNode root, Random random)
    {
        var objects = new List<JsonObject>();
        void Collect(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                objects.Add(o);
                foreach (var (_, child) in o.ToList())
                {
                    Collect(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a.ToList())
                {
                    Collect(child);
                }
            }
        }

        Collect(root);
        var target = objects[random.Next(objects.Count)];
        var keys = target.Select(p => p.Key).ToList();
        if (keys.Count == 0)
        {
            target["extra"] = 1;
            return;
        }

        var key = keys[random.Next(keys.Count)];
        target[key] = random.Next(12) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
            2 => JsonValue.Create(1e308 * (random.Next(2) == 0 ? 10 : -10) is var d && double.IsFinite(d) ? d : 1.7976931348623157e308),
            3 => JsonValue.Create(new string('x', random.Next(1, 100_000))),
            4 => JsonValue.Create("\u0000\ud7ff\u202e\ufeff"),
            5 => new JsonArray(JsonValue.Create(1), JsonValue.Create("two"), null),
            6 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray() } },
            7 => JsonValue.Create(random.Next(2) == 0),
            8 => JsonValue.Create(""),
            9 => JsonValue.Create("-1"),
            10 => JsonValue.Create(long.MaxValue),
            _ => JsonValue.Create("2026-13-45T99:99:99Z"),
        };
        if (random.Next(6) == 0)
        {
            target.Remove(key);
        }
    }
}
