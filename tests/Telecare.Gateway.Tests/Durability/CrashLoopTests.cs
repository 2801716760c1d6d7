using Telecare.FirmwareSim.Soak;
using Telecare.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Telecare.Gateway.Tests.Durability;

/// <summary>
/// Issue #7, crash loop under load: `firmware-sim soak` run in-process against the real gateway (a child process it
/// starts, kills with SIGKILL and starts again ten times) while MQTT devices and a serial receiver on a socat pty send at
/// a steady rate. Nothing acknowledged may be lost or stored twice, and after the last restart every open call is on the
/// console's snapshot with no resident's call doubled.
/// </summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_SIGKILLs_under_load_lose_nothing_acknowledged_double_nothing_and_leave_one_open_call_per_resident()
    {
        var log = new StringWriter();
        var report = await SoakRunner.RunAsync(new SoakOptions
        {
            GatewayDll = GatewayProcess.GatewayDll,
            Devices = 3,
            // Fast enough that a kill often lands with commits in flight: a PUBACK sent before its commit would show up as lost.
            EventsPerSecond = 100,
            SerialLinesPerSecond = 3,
            Cycles = 10,
            Uptime = TimeSpan.FromSeconds(0.5),
            DrainTimeout = TimeSpan.FromSeconds(90),
            Seed = 7,
        }, log, CancellationToken.None);
        output.WriteLine(log.ToString());
        output.WriteLine(report.ToString());

        Assert.Equal(10, report.CrashCycles);
        Assert.True(report.Mqtt.Acknowledged > 0 && report.Serial.Acknowledged > 0, "both sources must have been acknowledged during the run");
        Assert.True(report.PublishToPubAck.HeldAcrossCrash > 0, "the kills must land while events are on their way");
        Assert.Equal(0, report.Total.Lost);
        Assert.Equal(0, report.Total.Duplicated);
        Assert.Equal(0, report.Unacknowledged);
        Assert.Equal(report.Total.Sent, report.Total.Acknowledged);
        Assert.Equal(0, report.MissingFromConsole);
        Assert.Equal(0, report.DoubledCalls);
        // Every device and every account belongs to one of three residents, so three open alarm calls, no more.
        Assert.Equal(3, report.OpenCallsOnConsole);
        Assert.True(report.Passed, report.ToString());
    }
}
