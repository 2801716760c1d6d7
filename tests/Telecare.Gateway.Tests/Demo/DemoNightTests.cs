using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Telecare.Core.Accounts;
using Telecare.FirmwareSim.Demo;
using Telecare.Gateway.Demo;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Demo;

/// <summary>
/// `firmware-sim demo` against the real gateway in demo mode (a child process): every beat of the night ends up on the
/// console as the call or ticket the script says to look for, including the silent device reported offline.
/// </summary>
public sealed class DemoNightTests
{
    private const string ApiKey = "tgk_dmnite_5b8e2f71c9a04d3e86f1a2b3c4d5e6f7";

    [Fact]
    public async Task The_demo_night_raises_the_calls_and_tickets_it_narrates()
    {
        using var directory = new TempDirectory();
        var mqttPort = GatewayProcess.FreeTcpPort();
        await using var gateway = new GatewayProcess(directory.Path, new Dictionary<string, string>
        {
            ["Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Security__Bootstrap__ApiKeys__0__Name"] = "demo-night-test",
            ["Security__Bootstrap__ApiKeys__0__Role"] = Roles.Supervisor,
            ["Security__Bootstrap__ApiKeys__0__Key"] = ApiKey,
            // The silent device is reported after 2 s + 1 s instead of 60 s + 30 s.
            ["Demo__FrequentCheckInSeconds"] = "2",
            ["Calls__CheckInToleranceSeconds"] = "1",
            // Whatever the hour of the test run, it is night on the gateway's clock, so the night rules apply.
            ["Triage__TimeZone"] = ZoneWhereItIsAboutTwoInTheMorning(),
        });
        await gateway.StartAsync(DemoExtensions.Flag);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DemoNight.RunAsync(new DemoNightOptions { Host = "127.0.0.1", Port = mqttPort, StepPause = TimeSpan.FromSeconds(0.2) }, output, error);
        Assert.True(exit == 0, $"demo exited {exit}:\n{output}\n{error}\n--- gateway ---\n{gateway.Output}");
        Assert.Equal("", error.ToString());
        Assert.Contains("Look for: a P3 device.offline ticket for pir-007", output.ToString(), StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, ApiKey);
        JsonElement[] calls = [];
        JsonElement? Find(string kind, string eventType, DemoDevice device) => calls.Cast<JsonElement?>().FirstOrDefault(c =>
            c!.Value.GetProperty("kind").GetString() == kind && c.Value.GetProperty("eventType").GetString() == eventType
            && c.Value.GetProperty("deviceId").GetString() == device.Id);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            calls = (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/calls"))!;
            var pendant = Find("alarm", "pendant.press", DemoNight.Pendant);
            if ((Find("technical", "device.offline", DemoNight.MovementSensor) is not null && pendant?.GetProperty("cancelledByResident").GetBoolean() == true)
                || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        var all = string.Join('\n', calls.Select(c => c.GetRawText()));
        JsonElement Expect(string kind, string eventType, DemoDevice device, int priority)
        {
            var call = Find(kind, eventType, device) ?? throw new Xunit.Sdk.XunitException($"no {kind} {eventType} from {device.Id} in:\n{all}");
            Assert.Equal(priority, call.GetProperty("priority").GetInt32());
            Assert.Equal(device.Resident, call.GetProperty("residentName").GetString());
            Assert.Equal(device.Zone, call.GetProperty("zoneName").GetString());
            return call;
        }

        Expect("alarm", "fall.detected", DemoNight.FallDetector, 1);
        Expect("alarm", "smoke.alarm", DemoNight.SmokeAlarm, 1);
        var door = Expect("alarm", "door.exit", DemoNight.DoorSensor, 1);
        Assert.Equal("door-exit-dementia-night", door.GetProperty("rule").GetString());
        Assert.Contains("dementia", door.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var pendantCall = Expect("alarm", "pendant.press", DemoNight.Pendant, 1);
        Assert.True(pendantCall.GetProperty("cancelledByResident").GetBoolean(), $"the pendant call is not marked cancelled by the resident:\n{all}");
        Expect("technical", "device.low-battery", DemoNight.CoDetector, 4);
        Expect("technical", "device.offline", DemoNight.MovementSensor, 3);
        // One call per beat, no more: the cancel and the heartbeats raise nothing of their own.
        Assert.Equal(6, calls.Length);
    }

    [Fact]
    public async Task Without_a_gateway_the_demo_fails_and_says_how_to_start_one()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DemoNight.RunAsync(new DemoNightOptions { Host = "127.0.0.1", Port = GatewayProcess.FreeTcpPort(), StepPause = TimeSpan.Zero }, output, error);

        Assert.NotEqual(0, exit);
        Assert.Contains("cannot reach the gateway's MQTT broker at 127.0.0.1:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Telecare.Gateway -- --demo", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("acknowledged", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_script_and_the_seeder_agree_on_the_silent_device()
    {
        Assert.Equal(DemoSeeder.FrequentCheckInDevice, DemoNight.MovementSensor.Id);
        Assert.Equal(DemoNight.SilentDeviceIntervalSeconds, new DemoOptions().FrequentCheckInSeconds);
        Assert.Equal(DemoNight.DefaultCheckInToleranceSeconds, new Telecare.Gateway.Calls.CallOptions().CheckInToleranceSeconds);
    }

    [Fact]
    public void The_demo_takes_the_broker_address_and_the_pause_between_steps()
    {
        var options = DemoMode.Parse(["--host", "gateway.local", "--port", "1884", "--step-seconds", "0.5"]);
        Assert.NotNull(options);
        Assert.Equal(("gateway.local", 1884, TimeSpan.FromSeconds(0.5)), (options.Host, options.Port, options.StepPause));
        Assert.Equal(("localhost", 1883, TimeSpan.FromSeconds(3)), DemoMode.Parse([]) is { } d ? (d.Host, d.Port, d.StepPause) : default);
        Assert.Null(DemoMode.Parse(["--step-seconds", "soon"]));
        Assert.Null(DemoMode.Parse(["--port"]));
    }

    /// <summary>A fixed-offset zone (Etc/GMT±N) whose local time is now between 02:00 and 03:00.</summary>
    private static string ZoneWhereItIsAboutTwoInTheMorning()
    {
        // Etc/GMT+N is N hours behind UTC (the sign is POSIX's); local hour = UTC hour - N.
        var n = DateTime.UtcNow.Hour - 2;
        if (n > 12)
        {
            n -= 24;
        }

        return n switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT+{n}",
            _ => $"Etc/GMT{n}",
        };
    }
}
