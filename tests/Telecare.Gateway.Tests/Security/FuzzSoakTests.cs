using System.Net;
using System.Net.Sockets;
using Telecare.FirmwareSim.Fuzz;
using Telecare.FirmwareSim.Soak;
using Telecare.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Telecare.Gateway.Tests.Security;

/// <summary>
/// Issue #7, the long fuzz run of `firmware-sim soak fuzz`, here for a short while: the real gateway takes hostile MQTT
/// connections, serial garbage and mutated HTTP bodies while the codecs are fuzzed in-process and canary alarms flow
/// beside it. Then the fuzzers' own alarms are shown to go off: a 500, a port nobody listens on.
/// </summary>
public sealed class FuzzSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_short_fuzz_run_finds_nothing_and_every_canary_alarm_is_stored_once()
    {
        var log = new StringWriter();
        var report = await FuzzRunner.RunAsync(new FuzzOptions
        {
            GatewayDll = GatewayProcess.GatewayDll,
            Duration = TimeSpan.FromSeconds(15),
            Seed = 20261202,
        }, log, CancellationToken.None);
        output.WriteLine(log.ToString());
        output.WriteLine(report.ToString());

        // Every target was reached and answered bad input deliberately.
        Assert.All(report.Targets, t => Assert.True(t.Inputs > 0 && (t.Refused > 0 || t.Target == "serial chunks"), $"{t.Target}: {t.Inputs} inputs, {t.Refused} refused"));
        Assert.True(report.SerialRejected > 0, "no serial garbage was stored as rejected");
        Assert.Equal(0, report.Failures);
        Assert.Null(report.GatewayExited);
        Assert.Equal(0, report.NotReady);
        Assert.True(report.LoggedErrorCount == 0, string.Join('\n', report.LoggedErrors));
        Assert.True(report.Mqtt.Acknowledged > 0 && report.Serial.Acknowledged > 0, "the canaries must have got through during the fuzz");
        Assert.Equal(0, report.Mqtt.Lost + report.Serial.Lost);
        Assert.Equal(0, report.Mqtt.Duplicated + report.Serial.Duplicated);
        Assert.Equal(0, report.Unacknowledged);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public async Task The_http_fuzzer_counts_a_500_as_a_failure_with_the_body_that_caused_it()
    {
        var port = GatewayChild.FreeTcpPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var context = await listener.GetContextAsync();
                    // The residents list the fuzzer reads first, then a 500 for every body.
                    var get = context.Request.HttpMethod == "GET";
                    context.Response.StatusCode = get ? 200 : 500;
                    await context.Response.OutputStream.WriteAsync(get ? "[]"u8.ToArray() : "boom"u8.ToArray());
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
            {
                // The listener stopped, or the fuzzer hung up at the end of its run.
            }
        });

        var fuzzer = new HttpBodyFuzzer(new Uri($"http://127.0.0.1:{port}"), "key", new Random(1));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await fuzzer.RunAsync(1, stop.Token);
        listener.Stop();
        await serve;

        Assert.True(fuzzer.Tally.Inputs > 0);
        // Every body but the one in flight when the run stopped.
        Assert.InRange(fuzzer.Tally.Failed, fuzzer.Tally.Inputs - 1, fuzzer.Tally.Inputs);
        Assert.Contains(fuzzer.Tally.Failures, f => f.Contains("answered 500 boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mqtt_fuzzer_counts_a_port_nobody_listens_on_as_a_failure()
    {
        int port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        var fuzzer = new MqttWireFuzzer(port, new Random(1), ["pendant-011"]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await fuzzer.RunAsync(1, stop.Token);

        Assert.True(fuzzer.Tally.Failed > 0);
        Assert.Contains(fuzzer.Tally.Failures, f => f.Contains("ConnectionRefused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_codec_input_that_runs_past_the_hang_limit_is_reported_once_with_the_input()
    {
        var tally = new FuzzTally("test codec");
        tally.Begin(new byte[] { 0x30, 0xFF });
        Assert.False(tally.CheckHang(TimeSpan.FromHours(1)));
        Assert.True(tally.CheckHang(TimeSpan.Zero));
        Assert.False(tally.CheckHang(TimeSpan.Zero));
        Assert.Equal(1, tally.Failed);
        Assert.Contains("30FF", Assert.Single(tally.Failures), StringComparison.Ordinal);
    }
}
