using System.Globalization;

namespace Telecare.FirmwareSim.Devices;

/// <summary>What a load run achieved.</summary>
public sealed record DeviceLoadReport(int Devices, long Sent, long Acked, long Refused, long Failed, TimeSpan Elapsed, double P50Ms, double P99Ms, double P999Ms)
{
    public double ThroughputPerSecond => Elapsed.TotalSeconds > 0 ? Acked / Elapsed.TotalSeconds : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"devices {Devices}, sent {Sent}, acked {Acked}, refused {Refused}, failed {Failed}, {Elapsed.TotalSeconds:0.00} s, "
        + $"throughput {ThroughputPerSecond:0} msg/s, PUBLISH->PUBACK p50 {P50Ms:0.000} ms, p99 {P99Ms:0.000} ms, p99.9 {P999Ms:0.000} ms");
}
