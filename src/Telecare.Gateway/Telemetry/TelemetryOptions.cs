using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Telemetry;

/// <summary>Section "Telemetry". Metrics are always readable with dotnet-counters; OTLP export only when an endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    [Url]
    public string? OtlpEndpoint { get; set; }

    [Range(1000, 3_600_000)]
    public int ExportIntervalMilliseconds { get; set; } = 10_000;
}
