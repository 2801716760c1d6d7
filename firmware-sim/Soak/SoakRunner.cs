using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Telecare.FirmwareSim.Serial;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// The crash loop (issue #7): MQTT devices and a serial receiver send at a steady rate while the gateway is SIGKILLed
/// and started again, cycle after cycle. Then everything still owed an acknowledgement is let through, and the
/// ledgers (what the gateway acknowledged) are held against its SQLite file and its dispatch console.
/// </summary>
public static class SoakRunner
{
    public static async Task<SoakReport> RunAsync(SoakOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "telecare-soak-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var random = new Random(options.Seed);
        var mqttPort = GatewayChild.FreeTcpPort();
        var apiKey = NewApiKey("soak");
        var audit = new SoakStoreAudit(Path.Combine(data, "telecare.db"));
        var started = Stopwatch.GetTimestamp();
        var restarts = new List<TimeSpan>();
        var outages = new List<(long Killed, long Ready)>();

        await using var pty = await SocatPtyPair.StartAsync(Path.Combine(data, "pty")).ConfigureAwait(false);
        var environment = GatewayEnvironment(data, mqttPort, pty.PathB, apiKey);
        async Task<GatewayChild> StartGatewayAsync()
        {
            var at = Stopwatch.GetTimestamp();
            var child = await GatewayChild.StartAsync(options.GatewayDll, data, environment, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            restarts.Add(Stopwatch.GetElapsedTime(at));
            return child;
        }

        log.WriteLine($"soak: data in {data}, MQTT on 127.0.0.1:{mqttPort}, receiver on {pty.PathA} -> gateway on {pty.PathB}");
        var gateway = await StartGatewayAsync().ConfigureAwait(false);
        SoakDevices? devices = null;
        SoakReceiver? receiver = null;
        var cycles = 0;
        ConsoleView console;
        long unacknowledged;
        try
        {
            devices = new SoakDevices(options.Devices, mqttPort);
            receiver = new SoakReceiver(pty.PathA, options.Devices);
            await devices.StartAsync(cancellationToken).ConfigureAwait(false);
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var load = DriveAsync(devices, receiver, options, stopLoad.Token);

            for (; cycles < options.Cycles; cycles++)
            {
                // Pacing, not a measurement: the kill lands at a random point of the stream.
                var up = options.Uptime * (0.5 + random.NextDouble());
                await Task.Delay(up, cancellationToken).ConfigureAwait(false);
                var killed = Stopwatch.GetTimestamp();
                gateway.Kill();
                await gateway.DisposeAsync().ConfigureAwait(false);
                if (receiver.Completion.IsFaulted)
                {
                    await receiver.Completion.ConfigureAwait(false);
                }

                gateway = await StartGatewayAsync().ConfigureAwait(false);
                // The outage lasts until every device is back on (each retries within a second); events sent before then wait.
                await WaitUntilAsync(() => devices.AllConnected, options.StartTimeout, cancellationToken).ConfigureAwait(false);
                outages.Add((killed, Stopwatch.GetTimestamp()));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"cycle {cycles + 1}/{options.Cycles}: SIGKILL after {up.TotalSeconds:0.0} s up, ready again in {restarts[^1].TotalSeconds:0.0} s; "
                    + $"mqtt {devices.Ledger.Count}/{devices.Sent} acknowledged, serial {receiver.Ledger.Count}/{receiver.Sent}"));
            }

            // The last gateway takes live traffic too before the load stops.
            await Task.Delay(options.Uptime, cancellationToken).ConfigureAwait(false);
            await stopLoad.CancelAsync().ConfigureAwait(false);
            await load.ConfigureAwait(false);

            // Everything sent is owed an acknowledgement: the devices and the receiver send again until they get it.
            await WaitUntilAsync(() => devices.Outstanding == 0 && receiver.Buffered == 0, options.DrainTimeout, cancellationToken).ConfigureAwait(false);
            unacknowledged = devices.Outstanding + receiver.Buffered;
            await WaitUntilAsync(() => audit.Untriaged() == 0, options.DrainTimeout, cancellationToken).ConfigureAwait(false);
            console = await ReadConsoleAsync(gateway, apiKey, audit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await StopAllAsync(devices, receiver, gateway).ConfigureAwait(false);
        }

        // The first start seeds the demo data set; the restarts are what the devices wait out.
        var sortedRestarts = (restarts.Count > 1 ? restarts.Skip(1) : restarts).Order().ToList();
        var report = new SoakReport
        {
            Options = options,
            Mqtt = audit.Mqtt(devices.Ids, devices.Ledger, devices.Sent),
            Serial = audit.Serial(receiver.Ledger, receiver.Frame, receiver.Sent),
            CrashCycles = cycles,
            Reconnects = devices.Reconnects,
            SerialRetransmissions = receiver.Retransmissions,
            SerialBufferFull = receiver.BufferFull,
            MqttRefused = devices.Refused,
            MqttFailed = devices.Failed,
            Unacknowledged = unacknowledged,
            PublishToPubAck = devices.Latencies.Summarise(outages),
            RestartP50 = sortedRestarts[sortedRestarts.Count / 2],
            RestartMax = sortedRestarts[^1],
            OpenCallsInStore = console.InStore,
            OpenCallsOnConsole = console.OnConsole,
            MissingFromConsole = console.Missing,
            DoubledCalls = Math.Max(audit.ResidentsWithDoubledCalls(), console.Doubled),
            Elapsed = Stopwatch.GetElapsedTime(started),
        };

        if (report.Passed && options.DataDirectory is null)
        {
            TryDelete(data);
        }
        else if (!report.Passed)
        {
            log.WriteLine($"soak: the gateway's data and logs are kept in {data}");
        }

        return report;
    }

    /// <summary>A bootstrap API key in the gateway's format (<c>tgk_{prefix}_{secret}</c>), its prefix starting with <paramref name="name"/>.</summary>
    internal static string NewApiKey(string name) =>
        $"tgk_{name}{RandomNumberGenerator.GetHexString(8, lowercase: true)}_{RandomNumberGenerator.GetHexString(32, lowercase: true)}";

    /// <summary>Stops the simulators and kills the gateway: never a gateway left running behind a failed run.</summary>
    internal static async Task StopAllAsync(SoakDevices? devices, SoakReceiver? receiver, GatewayChild gateway)
    {
        if (devices is not null)
        {
            await devices.DisposeAsync().ConfigureAwait(false);
        }

        if (receiver is not null)
        {
            await receiver.DisposeAsync().ConfigureAwait(false);
        }

        await gateway.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The gateway as an operator would configure it: its own data folder, the receiver on the pty, demo residents.</summary>
    internal static Dictionary<string, string> GatewayEnvironment(string data, int mqttPort, string serialPath, string apiKey) => new()
    {
        ["Store__Path"] = Path.Combine(data, "telecare.db"),
        ["Store__BackupFolder"] = Path.Combine(data, "backups"),
        ["Store__BackupIntervalMinutes"] = "0",
        ["Serilog__WriteTo__1__Args__path"] = Path.Combine(data, "logs", "gateway-.log"),
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_NOLOGO"] = "1",
        ["Mqtt__Address"] = "127.0.0.1",
        ["Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
        ["Serial__Ports__0__Path"] = serialPath,
        ["Serial__Ports__0__ReceiverId"] = "rx1",
        ["Serial__Ports__0__Dialect"] = "SurGardMlr2",
        ["Serial__Ports__0__BaudRate"] = "9600",
        ["Security__Bootstrap__ApiKeys__0__Name"] = "soak",
        ["Security__Bootstrap__ApiKeys__0__Role"] = "handler",
        ["Security__Bootstrap__ApiKeys__0__Key"] = apiKey,
        // The demo's one fast check-in device (pir-007, 60 s) would raise an offline ticket during a long soak: the
        // soak is about alarms, so it checks in daily like the rest.
        ["Demo__FrequentCheckInSeconds"] = "86400",
    };

    /// <summary>A steady stream: whatever is due by now is sent, every 10 ms, whether or not the gateway is up.</summary>
    internal static async Task DriveAsync(SoakDevices devices, SoakReceiver receiver, SoakOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long events = 0, lines = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                for (; events < (long)(elapsed * options.EventsPerSecond); events++)
                {
                    devices.PublishNext();
                }

                for (; lines < (long)(elapsed * options.SerialLinesPerSecond); lines++)
                {
                    receiver.SendNext();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed record ConsoleView(int InStore, int OnConsole, int Missing, long Doubled);

    /// <summary>
    /// Every call open in the store must be on the dispatch console's snapshot (GET /api/v1/calls?open=true, what a
    /// console loads on connect), and no resident may have two open alarm calls there. The console learns of a call
    /// just after its commit, so a difference gets a few seconds to settle before it counts.
    /// </summary>
    private static async Task<ConsoleView> ReadConsoleAsync(GatewayChild gateway, string apiKey, SoakStoreAudit audit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (true)
        {
            var inStore = audit.UnfinishedCallIds();
            var calls = await http.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/calls?open=true", UriKind.Relative), cancellationToken).ConfigureAwait(false) ?? [];
            var onConsole = calls.Select(c => c.GetProperty("id").GetInt64()).ToHashSet();
            var doubled = calls
                .Where(c => c.GetProperty("kind").GetString() == "alarm" && c.GetProperty("state").GetString() is not ("Resolved" or "Closed" or "Cancelled")
                    && c.GetProperty("residentId").ValueKind == JsonValueKind.Number)
                .GroupBy(c => c.GetProperty("residentId").GetInt64())
                .LongCount(g => g.Count() > 1);
            var view = new ConsoleView(inStore.Count, onConsole.Count, inStore.Count(id => !onConsole.Contains(id)), doubled);
            if (view.Missing == 0 || Stopwatch.GetTimestamp() > deadline)
            {
                return view;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition() && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder: cleaned eventually.
        }
    }
}
