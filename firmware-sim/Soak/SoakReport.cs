using System.Globalization;
using System.Text;

namespace Telecare.FirmwareSim.Soak;

/// <summary>What one crash-loop soak saw, and whether the gateway kept its promises through it.</summary>
public sealed record SoakReport
{
    public required SoakOptions Options { get; init; }

    public required SoakTally Mqtt { get; init; }

    public required SoakTally Serial { get; init; }

    public SoakTally Total => Mqtt.Plus(Serial);

    public required int CrashCycles { get; init; }

    /// <summary>MQTT connections made again after the first one of each device.</summary>
    public required int Reconnects { get; init; }

    /// <summary>Serial lines sent again after silence or NAK.</summary>
    public required int SerialRetransmissions { get; init; }

    public required long SerialBufferFull { get; init; }

    /// <summary>PUBACKs with an error reason code, and publishes that failed outright (never expected).</summary>
    public required long MqttRefused { get; init; }

    public required long MqttFailed { get; init; }

    /// <summary>Signals still waiting for their acknowledgement when the drain after the last restart ran out.</summary>
    public required long Unacknowledged { get; init; }

    public required SoakLatencySummary PublishToPubAck { get; init; }

    public required TimeSpan RestartP50 { get; init; }

    public required TimeSpan RestartMax { get; init; }

    public required int OpenCallsInStore { get; init; }

    public required int OpenCallsOnConsole { get; init; }

    /// <summary>Calls open in the store that the dispatch console's snapshot does not show.</summary>
    public required int MissingFromConsole { get; init; }

    /// <summary>Residents with more than one open alarm call, in the store or on the console.</summary>
    public required long DoubledCalls { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public bool Passed => Total.Lost == 0 && Total.Duplicated == 0 && Unacknowledged == 0 && MqttRefused == 0 && MqttFailed == 0
        && MissingFromConsole == 0 && DoubledCalls == 0 && CrashCycles == Options.Cycles;

    public override string ToString()
    {
        var o = Options;
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"soak: {o.Devices} MQTT devices at {o.EventsPerSecond:0.#} events/s + 1 serial receiver at {o.SerialLinesPerSecond:0.#} lines/s, "
            + $"gateway SIGKILLed every ~{o.Uptime.TotalSeconds:0.#} s, {Elapsed.TotalSeconds:0} s in all");
        text.AppendLine("           sent  acknowledged  stored  lost  duplicated");
        foreach (var (name, t) in new[] { ("mqtt", Mqtt), ("serial", Serial), ("total", Total) })
        {
            text.AppendLine(inv, $"  {name,-7}{t.Sent,6}{t.Acknowledged,14}{t.Stored,8}{t.Lost,6}{t.Duplicated,12}");
        }

        text.AppendLine(inv, $"crash cycles: {CrashCycles}   MQTT reconnects: {Reconnects}   serial retransmissions: {SerialRetransmissions}   "
            + $"gateway restart to ready: p50 {RestartP50.TotalSeconds:0.0} s, max {RestartMax.TotalSeconds:0.0} s");
        var l = PublishToPubAck;
        text.AppendLine(inv, $"PUBLISH→PUBACK, gateway up and devices connected: p50 {l.UpP50Ms:0.0} ms, p99 {l.UpP99Ms:0.0} ms");
        text.AppendLine(inv, $"PUBLISH→PUBACK, every event: p99 {l.AllP99Ms:0} ms ({l.HeldAcrossCrash} events waited out a crash)");
        text.AppendLine(inv, $"after the last restart: {OpenCallsInStore} open calls in the store, {OpenCallsOnConsole} on the console snapshot, "
            + $"{MissingFromConsole} missing, {DoubledCalls} residents with more than one open alarm call");
        if (Unacknowledged > 0 || MqttRefused > 0 || MqttFailed > 0 || SerialBufferFull > 0)
        {
            text.AppendLine(inv, $"unacknowledged at the end: {Unacknowledged}   PUBACK refused: {MqttRefused}   publish failed: {MqttFailed}   "
                + $"receiver buffer full: {SerialBufferFull}");
        }

        text.Append(Passed ? "result: PASS" : "result: FAIL");
        return text.ToString();
    }
}
