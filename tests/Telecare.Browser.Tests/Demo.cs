using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telecare.Browser.Tests;

/// <summary>The demo data the gateway seeds with --demo (Demo/DemoSeeder.cs), and alarms sent as a device would.</summary>
public static class Demo
{
    public sealed record Login(string User, string Password);

    public const string Password = "demo-password";
    public static readonly Login Handler = new("handler", Password);
    public static readonly Login Supervisor = new("supervisor", Password);

    /// <summary>Salisbury's responder; pendant-001 and pendant-002 are Salisbury residents.</summary>
    public static readonly Login Responder = new("responder", Password);

    private static long _sequence = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>
    /// Publishes an event with mosquitto_pub to the gateway's embedded broker as the demo device, then
    /// waits for the call it raised to appear in GET /api/v1/calls and returns its id.
    /// </summary>
    public static async Task<long> RaiseAsync(BrowserFixture fixture, string device, string eventType)
    {
        using var http = await SignedInClientAsync(fixture, Handler);
        var before = await OpenCallIdsAsync(http);
        var seq = Interlocked.Increment(ref _sequence);
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", fixture.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-V", "mqttv311", "-i", device, "-u", device, "-P", $"demo-secret-{device}", "-q", "1",
            "-t", $"telecare/v1/{device}/event", "-m", $"{{\"seq\":{seq},\"type\":\"{eventType}\"}}" })
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("The browser tests publish alarms with mosquitto_pub: apt-get install mosquitto-clients");
        }

        using (process)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, "mosquitto_pub failed: " + await process.StandardError.ReadToEndAsync());
        }

        return await WaitForCallAsync(fixture, http, device, before);
    }

    /// <summary>The ids of the calls open now, to tell a new call from an earlier one.</summary>
    public static async Task<HashSet<long>> OpenCallIdsAsync(HttpClient http) =>
        (await OpenCallsAsync(http)).Select(c => c.GetProperty("id").GetInt64()).ToHashSet();

    /// <summary>Waits for a call from <paramref name="device"/> that was not open before and returns its id.</summary>
    public static async Task<long> WaitForCallAsync(BrowserFixture fixture, HttpClient http, string device, HashSet<long> before)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var found = (await OpenCallsAsync(http)).FirstOrDefault(c =>
                !before.Contains(c.GetProperty("id").GetInt64()) &&
                c.TryGetProperty("deviceId", out var d) && d.GetString() == device);
            if (found.ValueKind == JsonValueKind.Object)
            {
                return found.GetProperty("id").GetInt64();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No new call from {device} within 30 s:\n{fixture.Gateway.Output}");
    }

    public static async Task<HttpClient> SignedInClientAsync(BrowserFixture fixture, Login login)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = fixture.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        using var response = await http.PostAsJsonAsync("api/v1/auth/login", new { username = login.User, password = login.Password });
        Assert.True(response.IsSuccessStatusCode, $"login {login.User}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return http;
    }

    private static async Task<JsonElement[]> OpenCallsAsync(HttpClient http)
    {
        var calls = await http.GetFromJsonAsync<JsonElement>("api/v1/calls?open=true");
        return [.. calls.EnumerateArray()];
    }
}
