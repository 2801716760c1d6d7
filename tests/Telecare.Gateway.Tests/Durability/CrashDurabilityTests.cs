using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Durability;

/// <summary>
/// The no-loss promise against a real process: every signal that got a 202 (or a duplicate's 200) is in the
/// store exactly once after the gateway is SIGKILLed mid-stream and restarted on the same file.
/// </summary>
public sealed class CrashDurabilityTests
{
    private const string ApiKey = "tgk_durab1_7f3c9e21b8d04a6f95e1c2d3b4a59687";

    [Fact]
    public async Task Every_acknowledged_signal_survives_sigkill_exactly_once()
    {
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Security__Bootstrap__ApiKeys__0__Name"] = "durability-test",
            ["Security__Bootstrap__ApiKeys__0__Role"] = Roles.Installer,
            ["Security__Bootstrap__ApiKeys__0__Key"] = ApiKey,
        };

        var acknowledged = new ConcurrentDictionary<(string Device, long Seq), long>();
        await using (var gateway = new GatewayProcess(directory.Path, environment))
        {
            await gateway.StartAsync();
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(n => SendUntilStoppedAsync(gateway.BaseAddress, $"crash-dev-{n}", acknowledged, stop.Token)).ToArray();

            await Eventually.TrueAsync(() => acknowledged.Count >= 200, TimeSpan.FromSeconds(60), "200 acknowledged signals");
            gateway.Kill();
            stop.CancelAfter(TimeSpan.FromSeconds(5));
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 200);

        // Restart on the same file, and resend everything once more: the retries must be recognised.
        await using (var restarted = new GatewayProcess(directory.Path, environment))
        {
            await restarted.StartAsync();
            using var http = Client(restarted.BaseAddress);
            foreach (var ((device, seq), id) in acknowledged.Take(50))
            {
                var response = await http.PostAsync("/api/v1/signals", Body(device, seq));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains($"\"signalId\":{id}", await response.Content.ReadAsStringAsync());
            }

            restarted.Kill();
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "telecare.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        foreach (var ((device, seq), id) in acknowledged)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), MIN(id) FROM signals WHERE source = 3 AND device_ref = $d AND sequence = $s";
            command.Parameters.AddWithValue("$d", device);
            command.Parameters.AddWithValue("$s", seq);
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) == 1, $"{device}#{seq} acknowledged as {id} but stored {reader.GetInt64(0)} times");
            Assert.Equal(id, reader.GetInt64(1));
        }

        using (var total = connection.CreateCommand())
        {
            total.CommandText = "SELECT COUNT(*) FROM (SELECT device_ref, sequence FROM signals WHERE source = 3 GROUP BY device_ref, sequence HAVING COUNT(*) > 1)";
            Assert.Equal(0L, (long)total.ExecuteScalar()!);
        }
    }

    private static async Task SendUntilStoppedAsync(Uri baseAddress, string device, ConcurrentDictionary<(string, long), long> acknowledged, CancellationToken stop)
    {
        using var http = Client(baseAddress);
        for (long seq = 0; !stop.IsCancellationRequested; seq++)
        {
            try
            {
                var response = await http.PostAsync("/api/v1/signals", Body(device, seq), stop);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    var text = await response.Content.ReadAsStringAsync(stop);
                    var id = long.Parse(text.Split("\"signalId\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
                    acknowledged[(device, seq)] = id;
                }
                else
                {
                    throw new InvalidOperationException($"unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(stop)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                // The process is gone: no receipt, so this one is not counted as acknowledged.
                return;
            }
        }
    }

    private static HttpClient Client(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, ApiKey);
        return http;
    }

    private static StringContent Body(string device, long seq) =>
        new($$"""{"deviceId":"{{device}}","seq":{{seq}},"type":"pendant.press"}""", Encoding.UTF8, "application/json");
}
