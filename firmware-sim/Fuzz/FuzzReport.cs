using System.Globalization;
using System.Text;
using Telecare.FirmwareSim.Soak;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>What the soak's fuzz run threw at the gateway, how it answered, and whether the real alarms beside it got through.</summary>
public sealed record FuzzReport
{
    public required FuzzOptions Options { get; init; }

    public required IReadOnlyList<FuzzTally> Targets { get; init; }

    /// <summary>The canaries: real alarms from two demo pendants and the receiver, sent all through the fuzz.</summary>
    public required SoakTally Mqtt { get; init; }

    public required SoakTally Serial { get; init; }

    public required long Unacknowledged { get; init; }

    public required long CanaryRefused { get; init; }

    public required SoakLatencySummary PublishToPubAck { get; init; }

    /// <summary>Serial lines the gateway stored as rejected, with their reason (and NAKed).</summary>
    public required long SerialRejected { get; init; }

    public required int ReadyChecks { get; init; }

    /// <summary>/health/ready answers other than 200 (or none within 10 s) during the run.</summary>
    public required int NotReady { get; init; }

    /// <summary>Null while the gateway ran to the end; otherwise how it ended and what it printed last.</summary>
    public string? GatewayExited { get; init; }

    /// <summary>Error and fatal lines in the gateway's log (the first few kept).</summary>
    public required IReadOnlyList<string> LoggedErrors { get; init; }

    public required long LoggedErrorCount { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public long Failures => Targets.Sum(t => t.Failed);

    public bool Passed => Failures == 0 && GatewayExited is null && NotReady == 0 && LoggedErrorCount == 0
        && Mqtt.Lost + Serial.Lost + Mqtt.Duplicated + Serial.Duplicated == 0 && Unacknowledged == 0 && CanaryRefused == 0
        && Mqtt.Acknowledged > 0 && Serial.Acknowledged > 0 && Targets.All(t => t.Inputs > 0 || !ExpectedToRun(t.Target));

    private bool ExpectedToRun(string target) => target switch
    {
        "mqtt connections" => Options.MqttConnections > 0,
        "http bodies" => Options.HttpRequests > 0,
        "serial chunks" => Options.SerialChunksPerSecond > 0,
        _ => true,
    };

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"soak fuzz: {Elapsed.TotalSeconds:0} s, seed {Options.Seed} (repeat with --seed {Options.Seed})");
        text.AppendLine("  target              inputs   refused  failures");
        foreach (var t in Targets)
        {
            text.AppendLine(inv, $"  {t.Target,-16}{t.Inputs,10}{(t.Target == "serial chunks" ? SerialRejected : t.Refused),10}{t.Failed,10}");
        }

        text.AppendLine("  canaries   sent  acknowledged  stored  lost  duplicated");
        foreach (var (name, t) in new[] { ("mqtt", Mqtt), ("serial", Serial) })
        {
            text.AppendLine(inv, $"  {name,-7}{t.Sent,7}{t.Acknowledged,14}{t.Stored,8}{t.Lost,6}{t.Duplicated,12}");
        }

        text.AppendLine(inv, $"canary PUBLISH→PUBACK during the fuzz: p50 {PublishToPubAck.UpP50Ms:0.0} ms, p99 {PublishToPubAck.UpP99Ms:0.0} ms");
        text.AppendLine(inv, $"gateway: {(GatewayExited is null ? "up throughout" : "EXITED: " + GatewayExited)}, ready {ReadyChecks - NotReady}/{ReadyChecks} checks, "
            + $"{LoggedErrorCount} error lines in its log");
        foreach (var line in LoggedErrors)
        {
            text.AppendLine(inv, $"  log: {line}");
        }

        if (Unacknowledged > 0 || CanaryRefused > 0)
        {
            text.AppendLine(inv, $"canaries unacknowledged at the end: {Unacknowledged}, PUBACK refused or failed: {CanaryRefused}");
        }

        foreach (var t in Targets)
        {
            foreach (var failure in t.Failures)
            {
                text.AppendLine(inv, $"  FAILED {t.Target}: {failure}");
            }
        }

        text.Append(Passed ? "result: PASS" : "result: FAIL");
        return text.ToString();
    }
}
