using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Telecare.Core.Accounts;
using Telecare.FirmwareSim.Fuzz;
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

        var seeds = HttpFuzzTargets.Seeds(residentId);
        var random = new Random(Seed);
        // A retry of the very same bad body is deduplicated like any other retry: count distinct bodies.
        var rejectedSignalBodies = new HashSet<string>();
        foreach (var (method, path, seed) in seeds)
        {
            for (var i = 0; i < Iterations; i++)
            {
                var body = JsonBodyMutator.Mutate(seed, random);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                var response = await admin.SendAsync(request);
                Assert.True(HttpFuzzTargets.Deliberate.Contains(response.StatusCode),
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
}
