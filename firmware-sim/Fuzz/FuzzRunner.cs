using System.Diagnostics;
using System.Globalization;
using Telecare.FirmwareSim.Receiver;
using Telecare.FirmwareSim.Serial;
using Telecare.FirmwareSim.Soak;
using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// The soak's long fuzz run (issue #7): the real gateway, started as a child process, takes hostile MQTT connections,
/// serial garbage and mutated HTTP bodies for as long as asked, while the pure codecs are fuzzed in this process and
/// real alarms (two demo pendants, the receiver) keep flowing beside it. Afterwards every canary alarm that was
/// acknowledged must be stored exactly once, the gateway must still be up and ready, and its log free of errors.
/// </summary>
public static class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(FuzzOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "telecare-fuzz-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var random = new Random(options.Seed);
        var mqttPort = GatewayChild.FreeTcpPort();
        var handlerKey = SoakRunner.NewApiKey("fuzzh");
        var adminKey = SoakRunner.NewApiKey("fuzza");
        var audit = new SoakStoreAudit(Path.Combine(data, "telecare.db"));
        var started = Stopwatch.GetTimestamp();

        await using var pty = await SocatPtyPair.StartAsync(Path.Combine(data, "pty")).ConfigureAwait(false);
        var environment = SoakRunner.GatewayEnvironment(data, mqttPort, pty.PathB, handlerKey);
        environment["Security__Bootstrap__ApiKeys__1__Name"] = "fuzz-admin";
        environment["Security__Bootstrap__ApiKeys__1__Role"] = "admin";
        environment["Security__Bootstrap__ApiKeys__1__Key"] = adminKey;
        log.WriteLine($"soak fuzz: data in {data}, MQTT on 127.0.0.1:{mqttPort}, receiver on {pty.PathA} -> gateway on {pty.PathB}, seed {options.Seed}");

        var gateway = await GatewayChild.StartAsync(options.GatewayDll, data, environment, options.StartTimeout, cancellationToken).ConfigureAwait(false);
        var codecs = new CodecFuzzer(new Random(random.Next()));
        // The fuzzers sign in as the demo pendants the canaries do not use (pendant-011..030).
        var wire = new MqttWireFuzzer(mqttPort, new Random(random.Next()), [.. Enumerable.Range(11, 20).Select(SoakDevices.Id)]);
        var http = new HttpBodyFuzzer(gateway.BaseAddress, adminKey, new Random(random.Next()));
        var serial = new FuzzTally("serial chunks");
        var health = new HealthWatch();
        SoakDevices? devices = null;
        SoakReceiver? receiver = null;
        long unacknowledged;
        string? exited = null;
        try
        {
            devices = new SoakDevices(2, mqttPort);
            receiver = new SoakReceiver(pty.PathA, 2);
            await devices.StartAsync(cancellationToken).ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(options.Duration);
            var canaryOptions = new SoakOptions
            {
                GatewayDll = options.GatewayDll,
                EventsPerSecond = options.CanaryEventsPerSecond,
                SerialLinesPerSecond = options.CanarySerialLinesPerSecond,
            };
            var codecRun = Task.Factory.StartNew(() => codecs.Run(stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var running = new List<Task>
            {
                SoakRunner.DriveAsync(devices, receiver, canaryOptions, stop.Token),
                options.MqttConnections > 0 ? wire.RunAsync(options.MqttConnections, stop.Token) : Task.CompletedTask,
                options.HttpRequests > 0 ? http.RunAsync(options.HttpRequests, stop.Token) : Task.CompletedTask,
                options.SerialChunksPerSecond > 0 ? SerialAsync(receiver, serial, options.SerialChunksPerSecond, new Random(random.Next()), stop.Token) : Task.CompletedTask,
            };
            exited = await health.WatchAsync(gateway, [codecs.Mqtt, codecs.Receivers, codecs.ContactIds], options.HangLimit, log, stop).ConfigureAwait(false);
            await Task.WhenAll(running).ConfigureAwait(false);
            // A codec stuck in a hang never returns; it has been reported, so the run goes on without it.
            await Task.WhenAny(codecRun, Task.Delay(options.HangLimit, CancellationToken.None)).ConfigureAwait(false);

            if (exited is null)
            {
                await SoakRunner.WaitUntilAsync(() => devices.Outstanding == 0 && receiver.Buffered == 0, options.DrainTimeout, cancellationToken).ConfigureAwait(false);
                await SoakRunner.WaitUntilAsync(() => audit.Untriaged() == 0, options.DrainTimeout, cancellationToken).ConfigureAwait(false);
                exited = await health.CheckAsync(gateway, cancellationToken).ConfigureAwait(false);
            }

            unacknowledged = devices.Outstanding + receiver.Buffered;
        }
        finally
        {
            await SoakRunner.StopAllAsync(devices, receiver, gateway).ConfigureAwait(false);
        }

        var (errors, errorCount) = LoggedErrors(Path.Combine(data, "logs"));
        var report = new FuzzReport
        {
            Options = options,
            Targets = [codecs.Mqtt, codecs.Receivers, codecs.ContactIds, wire.Tally, serial, http.Tally],
            Mqtt = audit.Mqtt(devices.Ids, devices.Ledger, devices.Sent),
            Serial = audit.Serial(receiver.Ledger, receiver.Frame, receiver.Sent, receiver.Accounts),
            Unacknowledged = unacknowledged,
            CanaryRefused = devices.Refused + devices.Failed,
            PublishToPubAck = devices.Latencies.Summarise([]),
            SerialRejected = audit.SerialRejected(),
            ReadyChecks = health.Checks,
            NotReady = health.NotReady,
            GatewayExited = exited,
            LoggedErrors = errors,
            LoggedErrorCount = errorCount,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };

        if (report.Passed && options.DataDirectory is null)
        {
            SoakRunner.TryDelete(data);
        }
        else if (!report.Passed)
        {
            log.WriteLine($"soak fuzz: the gateway's data and logs are kept in {data}");
        }

        return report;
    }

    /// <summary>
    /// Garbage on the receiver's line, each chunk ending with the Sur-Gard terminator so it is a line of its own: mutated
    /// real lines, noise, floods far past the line limit, lines cut short. The gateway must NAK it, store it as rejected
    /// and keep the line working for the canary receiver between the chunks.
    /// </summary>
    private static async Task SerialAsync(SoakReceiver receiver, FuzzTally tally, double perSecond, Random random, CancellationToken stop)
    {
        var seeds = HostileBytes.ReceiverSeeds(ReceiverDialect.SurGardMlr2);
        var terminator = seeds[0][^1];
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await tick.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                for (; sent < (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond); sent++)
                {
                    byte[] chunk = random.Next(10) switch
                    {
                        < 5 => HostileBytes.Mutate(seeds[random.Next(seeds.Count)], seeds, random),
                        < 7 => HostileBytes.Noise(random, 200),
                        7 => HostileBytes.Noise(random, 4000),
                        _ => seeds[random.Next(seeds.Count)][..random.Next(1, seeds[0].Length - 1)],
                    };
                    chunk = [.. chunk, terminator];
                    tally.Begin(chunk);
                    receiver.SendRaw(chunk);
                    tally.End();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The first error and fatal lines of the gateway's log files, and how many there were.</summary>
    private static (IReadOnlyList<string> First, long Count) LoggedErrors(string logFolder)
    {
        var first = new List<string>();
        long count = 0;
        if (!Directory.Exists(logFolder))
        {
            return (first, 0);
        }

        foreach (var file in Directory.GetFiles(logFolder))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Contains(" [ERR] ", StringComparison.Ordinal) || line.Contains(" [FTL] ", StringComparison.Ordinal))
                {
                    if (++count <= 5)
                    {
                        first.Add(line.Length > 300 ? line[..300] + "…" : line);
                    }
                }
            }
        }

        return (first, count);
    }

    /// <summary>Watches the gateway while the fuzz runs: the process, /health/ready every two seconds, and the codecs for hangs.</summary>
    private sealed class HealthWatch
    {
        public int Checks { get; private set; }

        public int NotReady { get; private set; }

        /// <returns>Null when the run ended with the gateway up; otherwise how it ended (the run is stopped at once).</returns>
        public async Task<string?> WatchAsync(GatewayChild gateway, IReadOnlyList<FuzzTally> codecs, TimeSpan hangLimit, TextWriter log, CancellationTokenSource stop)
        {
            var second = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await tick.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    if (codecs.Any(c => c.CheckHang(hangLimit)))
                    {
                        log.WriteLine("soak fuzz: a codec hangs; stopping");
                        await stop.CancelAsync().ConfigureAwait(false);
                        return null;
                    }

                    if (++second % 2 == 0 && await CheckAsync(gateway, stop.Token).ConfigureAwait(false) is { } exited)
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                        return exited;
                    }

                    if (second % 30 == 0)
                    {
                        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak fuzz: {second} s, gateway ready {Checks - NotReady}/{Checks}"));
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }

            return null;
        }

        public async Task<string?> CheckAsync(GatewayChild gateway, CancellationToken cancellationToken)
        {
            if (Exited(gateway) is { } exited)
            {
                return exited;
            }

            Checks++;
            if (!await gateway.IsReadyAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                NotReady++;
            }

            return Exited(gateway);
        }

        private static string? Exited(GatewayChild gateway) =>
            gateway.ExitCode is { } code ? $"the gateway exited with code {code}:\n{gateway.RecentOutput}" : null;
    }
}
