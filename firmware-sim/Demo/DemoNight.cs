using System.Globalization;
using System.Net.Sockets;
using Telecare.FirmwareSim.Devices;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Demo;

/// <summary>Where the demo night is played and how fast.</summary>
public sealed class DemoNightOptions
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 1883;

    /// <summary>Real time between the beats of the night (its clock times are story labels).</summary>
    public TimeSpan StepPause { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a message may wait for its PUBACK before the demo counts it as not acknowledged.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// A scripted night against a gateway in demo mode: each beat is one MQTT message from a device the demo data set
/// seeds, sent as that device (id and demo secret), QoS 1, and counted only when the gateway acknowledges it.
/// </summary>
public static class DemoNight
{
    // Residents and devices as src/Telecare.Gateway/Demo/DemoSeeder.cs seeds them (the demo test checks the names).
    public static readonly DemoDevice FallDetector = new("fall-detector-004", DeviceKind.FallDetector, "Harold Hawkins", "Amesbury");
    public static readonly DemoDevice SmokeAlarm = new("smoke-003", DeviceKind.Smoke, "Joan Blake", "Amesbury");
    public static readonly DemoDevice DoorSensor = new("door-002", DeviceKind.Door, "Arthur Moody", "Salisbury");
    public static readonly DemoDevice Pendant = new("pendant-001", DeviceKind.Pendant, "Edith Pearce", "Salisbury");
    public static readonly DemoDevice CoDetector = new("co-006", DeviceKind.CarbonMonoxide, "Dennis Noyes", "Tidworth");

    /// <summary>The one demo device that checks in every minute (DemoSeeder.FrequentCheckInDevice).</summary>
    public static readonly DemoDevice MovementSensor = new("pir-007", DeviceKind.Pir, "Irene Hibberd", "Pewsey");

    /// <summary>The seeded check-in interval of <see cref="MovementSensor"/> and the gateway's default Calls:CheckInToleranceSeconds.</summary>
    public const int SilentDeviceIntervalSeconds = 60;
    public const int DefaultCheckInToleranceSeconds = 30;

    public static IReadOnlyList<DemoStep> Steps { get; } =
    [
        new("02:10", FallDetector, new DeviceEvent("fall.detected"),
            "Harold Hawkins (falls risk) falls on his way to the bathroom; his fall detector raises the alarm.",
            "a P1 fall.detected call for Harold Hawkins (Amesbury) at the top of Alarm calls, its clock running amber at 60 s "
            + "and red at 180 s. Claim it, then send the Amesbury responder from the call panel."),
        new("02:25", SmokeAlarm, new DeviceEvent("smoke.alarm"),
            "The smoke alarm goes off in Joan Blake's kitchen; she lives alone and is hard of hearing.",
            "a P1 smoke.alarm call (rule fire-and-gas) for Joan Blake with her flags lives-alone and hearing-impaired. "
            + "Claim it and record that the fire service was called (999)."),
        new("03:00", DoorSensor, new DeviceEvent("door.exit"),
            "Arthur Moody, who has dementia, opens his front door and walks out into the night.",
            "a door.exit call for Arthur Moody flagged dementia: P1 (rule door-exit-dementia-night) while the gateway's clock "
            + "(Triage:TimeZone) is between 22:00 and 07:00, P3 (rule door-exit) by day."),
        new("03:40", Pendant, new DeviceEvent("pendant.press"),
            "Edith Pearce presses her pendant by mistake while turning over in bed...",
            "a P1 pendant.press call for Edith Pearce (Salisbury)."),
        new("03:41", Pendant, new DeviceEvent("pendant.cancel"),
            "...and presses cancel a moment later.",
            "no new call: Edith's call stays in the queue for a wellbeing call-back, and its timeline (open the call) shows "
            + "it marked cancelled by the resident."),
        new("04:15", CoDetector, new DeviceEvent("device.low-battery"),
            "Dennis Noyes's carbon monoxide detector reports that its battery is low.",
            "a P4 device.low-battery ticket under Technical tickets: a fault to fix by day, not an alarm call.") { Battery = 9 },
        new("04:30", MovementSensor, null,
            "Irene Hibberd's movement sensor checks in, as it does every minute.",
            null),
        new("04:31", MovementSensor, null, "It checks in again.", null),
        new("04:32", MovementSensor, null, "And once more, for the last time: its battery is about to die.", null),
    ];

    /// <summary>Plays the night; 0 when every message was acknowledged, 1 when the gateway could not be reached or did not acknowledge one.</summary>
    public static async Task<int> RunAsync(DemoNightOptions options, TextWriter output, TextWriter error, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var fleet = new DeviceFleetOptions
        {
            Host = options.Host,
            Port = options.Port,
            // No will and no "offline" goodbye: ending the demo must not raise an offline ticket for every device.
            ReportStatus = false,
        };
        output.WriteLine($"firmware-sim demo: a night at the telecare service, played against the gateway's MQTT broker at {options.Host}:{options.Port}.");
        output.WriteLine("Open the console address the gateway printed and sign in as handler (or supervisor), password demo-password.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The clock times are the story's; the real pause between steps is {options.StepPause.TotalSeconds:0.#} s."));
        output.WriteLine("(Played again while its earlier calls are open, a resident's new alarm is added to the open call instead of raising another.)");
        output.WriteLine();

        var devices = new Dictionary<string, SimulatedDevice>(StringComparer.Ordinal);
        try
        {
            foreach (var d in Steps.Select(s => s.Device).Distinct())
            {
                // A run's sequence numbers start from the clock: the gateway would take a repeat of the last run's as retries.
                var device = new SimulatedDevice(d.Id, d.Kind, d.Secret, fleet, time) { LastSequence = time.GetUtcNow().ToUnixTimeMilliseconds() };
                devices[d.Id] = device;
                if (await ConnectAsync(device, options, error, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }
            }

            var unacknowledged = 0;
            DateTimeOffset? lastCheckIn = null;
            for (var i = 0; i < Steps.Count; i++)
            {
                if (i > 0 && options.StepPause > TimeSpan.Zero)
                {
                    await Task.Delay(options.StepPause, time, cancellationToken).ConfigureAwait(false);
                }

                var step = Steps[i];
                var device = devices[step.Device.Id];
                device.Battery = step.Battery;
                output.WriteLine($"[{step.StoryTime}] {step.Narration}");
                var what = step.Event is { } e ? $"{e.Type}" : "heartbeat";
                var (acknowledged, outcome) = await SendAsync(device, step, options.AckTimeout, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"        {step.Device.Id} ({step.Device.Resident}, {step.Device.Zone}) sent {what}: {outcome}");
                if (!acknowledged)
                {
                    unacknowledged++;
                    continue;
                }

                if (step.IsHeartbeat)
                {
                    lastCheckIn = time.GetUtcNow();
                }

                if (step.LookFor is { } lookFor)
                {
                    output.WriteLine($"        Look for: {lookFor}");
                }
            }

            output.WriteLine();
            if (unacknowledged > 0)
            {
                error.WriteLine($"firmware-sim demo: {unacknowledged} of {Steps.Count} messages were not acknowledged by the gateway (see above).");
                return 1;
            }

            var silent = MovementSensor;
            var wait = TimeSpan.FromSeconds(SilentDeviceIntervalSeconds + DefaultCheckInToleranceSeconds);
            var due = (lastCheckIn ?? time.GetUtcNow()) + wait;
            var dueLocal = TimeZoneInfo.ConvertTime(due, time.LocalTimeZone);
            output.WriteLine($"[04:33] Then {silent.Id} goes silent.");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"        Look for: a P3 device.offline ticket for {silent.Id} ({silent.Resident}, {silent.Zone}) under Technical tickets once it has "
                + $"missed its check-in: its {SilentDeviceIntervalSeconds} s interval plus Calls:CheckInToleranceSeconds ({DefaultCheckInToleranceSeconds} s by default) "
                + $"after the last heartbeat, so at about {dueLocal:HH:mm:ss} — wait about {wait.TotalSeconds:0} s. Nothing more is sent."));
            output.WriteLine();
            output.WriteLine($"All {Steps.Count} messages were acknowledged by the gateway. Work the calls: claim, assign a responder, resolve and close.");
            return 0;
        }
        finally
        {
            await Task.WhenAll(devices.Values.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    private static async Task<int?> ConnectAsync(SimulatedDevice device, DemoNightOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        const string Start = "Start it first: dotnet run --project src/Telecare.Gateway -- --demo";
        try
        {
            await device.StartAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (MqttConnectionRefusedException e)
        {
            error.WriteLine($"firmware-sim demo: the gateway at {options.Host}:{options.Port} refused device {device.Id} ({e.ReasonCode}). "
                + $"Is it running in demo mode? {Start}");
            return 1;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error.WriteLine($"firmware-sim demo: cannot reach the gateway's MQTT broker at {options.Host}:{options.Port} ({e.Message}). {Start}");
            return 1;
        }
    }

    private static async Task<(bool Acknowledged, string Outcome)> SendAsync(SimulatedDevice device, DemoStep step, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            var result = step.Event is { } e
                ? await device.SendEventAsync(e, wait.Token).ConfigureAwait(false)
                : await device.SendHeartbeatAsync(MqttQos.AtLeastOnce, wait.Token).ConfigureAwait(false);
            return result.IsSuccess
                ? (true, "acknowledged by the gateway (PUBACK)")
                : (false, $"REFUSED by the gateway: {result.ReasonCode} {result.ReasonString}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"NOT acknowledged within {timeout.TotalSeconds:0} s (is the gateway still running?)"));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            return (false, $"NOT sent: {e.Message}");
        }
    }
}
