using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telecare.FirmwareSim.Devices;
using Telecare.FirmwareSim.Receiver;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;
using static Microsoft.Playwright.Assertions;

namespace Telecare.Browser.Tests;

/// <summary>
/// A night shift end to end in real browsers: an alarm from a firmware-sim MQTT pendant and one from the serial
/// receiver emulator over a kernel pty reach two handler consoles; one handler claims, the other sees it taken; the
/// suggested responder gets it on the phone page, accepts, travels, arrives and completes; the call closes; the
/// supervisor's figures count the attendance; the timeline holds every step with its actor and time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NightShiftTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 5_000 };

    [Fact]
    public async Task Two_alarms_are_worked_from_two_consoles_to_a_closed_call_with_the_figures_and_timeline_to_match()
    {
        // Salisbury: pendant-002's resident, and the responder login that covers the zone.
        const string pendant = "pendant-002";
        const string account = "1003";
        var consoleA = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var consoleB = await PageDriver.ConsoleAsync(fixture, Demo.Handler.User, Demo.Handler.Password);
        var supervisor = await PageDriver.ConsoleAsync(fixture, Demo.Supervisor.User, Demo.Supervisor.Password);
        var responder = await PageDriver.ResponderAsync(fixture, Demo.Responder.User, Demo.Responder.Password);
        await supervisor.ClickAsync("#figures-tab");
        var attendances = supervisor.Locator("#figures-totals [data-figure='attendances'] .value");
        await Expect(attendances).ToHaveTextAsync(new Regex(@"^\d+$"));
        var attendancesBefore = int.Parse(await attendances.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        using var http = await Demo.SignedInClientAsync(fixture, Demo.Handler);
        var before = await Demo.OpenCallIdsAsync(http);

        // The MQTT alarm: firmware-sim's pendant, acknowledged (PUBACK) only once the gateway has committed it.
        await using var device = new SimulatedDevice(pendant, DeviceKind.Pendant, $"demo-secret-{pendant}",
            new DeviceFleetOptions { Host = "127.0.0.1", Port = fixture.MqttPort });
        await device.StartAsync();
        var published = Stopwatch.StartNew();
        await device.SendEventAsync(new DeviceEvent("pendant.press"));
        var mqttCall = await Demo.WaitForCallAsync(fixture, http, pendant, before);
        await Expect(PageDriver.Row(consoleA, mqttCall)).ToBeVisibleAsync(Soon);
        await Expect(PageDriver.Row(consoleB, mqttCall)).ToBeVisibleAsync(Soon);
        Console.WriteLine($"MQTT alarm on both consoles {published.ElapsedMilliseconds} ms after it was sent");

        // The serial alarm: a Contact ID 101 from the Sur-Gard receiver emulator, ACKed after the commit.
        var options = new ReceiverEmulatorOptions();
        long serialCall;
        await using (var port = LinuxSerialPort.Open(options.PortSettings(fixture.Receiver.PathA)))
        {
            using var stop = new CancellationTokenSource();
            var emulator = new ReceiverEmulator(port, options);
            var running = emulator.RunAsync(stop.Token);
            var sent = Stopwatch.StartNew();
            Assert.True(emulator.TryEnqueue(new ReceiverEmulatorEvent(account, ContactIdQualifier.New, 101)));
            serialCall = await Demo.WaitForCallAsync(fixture, http, $"rx1/{account}", before);
            await Expect(PageDriver.Row(consoleA, serialCall)).ToBeVisibleAsync(Soon);
            await Expect(PageDriver.Row(consoleB, serialCall)).ToBeVisibleAsync(Soon);
            Console.WriteLine($"serial alarm on both consoles {sent.ElapsedMilliseconds} ms after it was sent");
            await emulator.WaitForLedgerAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, emulator.NaksReceived);
            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        // One handler claims; the other console sees it taken at once.
        await PageDriver.Row(consoleA, mqttCall).Locator("button.claim").ClickAsync();
        await Expect(consoleA.Locator("#action-result")).ToHaveTextAsync("You answered this call.");
        await Expect(PageDriver.Row(consoleB, mqttCall)).ToHaveAttributeAsync("data-state", "Answered");
        await Expect(PageDriver.Row(consoleB, mqttCall).Locator("button.claim")).ToHaveCountAsync(0);

        // The suggested responder is listed first and chosen; the assignment arrives on the phone.
        var first = consoleA.Locator("#responder-list li").First;
        await Expect(first.Locator(".tag.ok")).ToHaveTextAsync("suggested");
        await Expect(first.Locator("input[name=responder]")).ToBeCheckedAsync();
        await Expect(first).ToContainTextAsync("Salisbury");
        await consoleA.ClickAsync("#assign-button");
        await Expect(consoleA.Locator("#action-result")).ToContainTextAsync("assigned");

        var card = responder.Locator($"article.assignment[data-call-id='{mqttCall}']");
        await Expect(card).ToHaveAttributeAsync("data-state", "Offered", new() { Timeout = 10_000 });
        foreach (var (button, state) in new[] { ("Accept", "Accepted"), ("EnRoute", "EnRoute"), ("Arrived", "Arrived"), ("Left", "Left") })
        {
            await card.Locator($"button[data-action='{button}']").ClickAsync();
            await Expect(card).ToHaveAttributeAsync("data-state", state);
        }

        await card.Locator("button[data-action='Complete']").First.ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(responder, "responder");

        var row = PageDriver.Row(consoleA, mqttCall);
        await Expect(row).ToHaveAttributeAsync("data-state", "Resolved");
        await Expect(consoleA.Locator("#timeline li[data-kind='Arrive']")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(consoleA, "panel");
        await consoleA.ClickAsync("#close-button");
        await Expect(row).ToHaveCountAsync(0);
        await Expect(PageDriver.Row(consoleB, mqttCall)).ToHaveCountAsync(0);
        await Expect(PageDriver.Row(consoleB, serialCall)).ToHaveCountAsync(1);

        // The supervisor's figures count the attendance.
        await supervisor.ClickAsync("#figures-refresh");
        await Expect(attendances).ToHaveTextAsync((attendancesBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(supervisor.Locator("#figures-table tr[data-zone='Salisbury']")).ToBeVisibleAsync();

        // Every step on the timeline, each with who did it and when.
        var timeline = await http.GetFromJsonAsync<JsonElement[]>($"api/v1/calls/{mqttCall}/timeline");
        Assert.Equal(
            ["Raise", "Answer", "AssignResponder", "Accept", "EnRoute", "Arrive", "Leave", "Resolve", "Close"],
            timeline!.Select(e => e.GetProperty("action").GetString()!).Where(a => a != "AddNote").ToArray());
        Assert.All(timeline!, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("actor").GetString()));
            Assert.True(e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
        });
        Assert.StartsWith("Handler:", timeline!.Single(e => e.GetProperty("action").GetString() == "Answer").GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Responder:", timeline!.Single(e => e.GetProperty("action").GetString() == "Arrive").GetProperty("actor").GetString(), StringComparison.Ordinal);

        await Screenshots.SaveAsync(consoleB, "other-console");
        await Screenshots.SaveAsync(supervisor, "figures");
        await LiveConsoleTests.CloseAsync(consoleA, consoleB, supervisor, responder);
    }
}
