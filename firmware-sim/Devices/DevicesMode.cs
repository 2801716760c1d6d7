using System.Globalization;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Devices;

/// <summary>
/// <c>firmware-sim devices [scenario|load] [--host H] [--port P] [--tls] [--insecure] [--mqtt 5|3.1.1]
/// [--count N] [--kinds pendant,fall,smoke,co,flood,temp,door,bed,chair,pir] [--id-prefix sim-]
/// [--secret S | --credentials FILE(lines "deviceId secret")] [--seed N]</c><br/>
/// scenario: <c>[--events-per-minute 2] [--heartbeat-s 60] [--duration-s 0 (until Ctrl+C)]</c> — each device
/// raises random alarms and heartbeats and prints what it sent and what the gateway answered.<br/>
/// load: <c>[--rate 1000] [--duration-s 10]</c> — prints throughput and PUBLISH→PUBACK p50/p99/p99.9.
/// </summary>
public static class DevicesMode
{
    private const string Usage =
        "usage: firmware-sim devices [scenario|load] [--host 127.0.0.1] [--port 1883] [--tls] [--insecure] [--mqtt 5|3.1.1] "
        + "[--count 10] [--kinds pendant,fall,smoke,co,flood,temp,door,bed,chair,pir] [--id-prefix sim-] "
        + "[--secret S | --credentials FILE] [--seed N] [--events-per-minute 2] [--heartbeat-s 60] [--rate 1000] [--duration-s 10]";

    public static async Task<int> RunAsync(string[] args)
    {
        var sub = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "scenario";
        var rest = sub == "scenario" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? args : args[1..];
        var opts = CommandLine.Options(rest);
        if (opts is null || sub is not ("scenario" or "load"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        DeviceFleetOptions fleet;
        try
        {
            fleet = Fleet(opts);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"firmware-sim devices: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cts = CommandLine.CancelOnCtrlC();

        try
        {
            if (sub == "load")
            {
                var rate = double.Parse(opts.GetValueOrDefault("rate", "1000"), CultureInfo.InvariantCulture);
                var duration = TimeSpan.FromSeconds(double.Parse(opts.GetValueOrDefault("duration-s", "10"), CultureInfo.InvariantCulture));
                Console.WriteLine($"load: {fleet.Count} devices on {fleet.Host}:{fleet.Port}, {rate} events/s for {duration.TotalSeconds} s");
                var report = await DeviceLoadRunner.RunAsync(fleet, rate, duration, cts.Token).ConfigureAwait(false);
                Console.WriteLine(report);
                return report.Failed == 0 ? 0 : 1;
            }

            var perMinute = double.Parse(opts.GetValueOrDefault("events-per-minute", "2"), CultureInfo.InvariantCulture);
            var heartbeat = TimeSpan.FromSeconds(double.Parse(opts.GetValueOrDefault("heartbeat-s", "60"), CultureInfo.InvariantCulture));
            var seconds = double.Parse(opts.GetValueOrDefault("duration-s", "0"), CultureInfo.InvariantCulture);
            if (seconds > 0)
            {
                cts.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await RunScenarioAsync(fleet, perMinute, heartbeat, Console.Out, cts.Token).ConfigureAwait(false);
            return 0;
        }
        catch (MqttConnectionRefusedException e)
        {
            Console.Error.WriteLine($"firmware-sim devices: {e.Message} (check the device credentials)");
            return 1;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            Console.Error.WriteLine($"firmware-sim devices: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Every device sends random alarms at the average rate plus heartbeats, until cancelled.</summary>
    public static async Task RunScenarioAsync(DeviceFleetOptions fleet, double eventsPerMinute, TimeSpan heartbeat, TextWriter output, CancellationToken cancellationToken)
    {
        var devices = fleet.Devices().Select(d => new SimulatedDevice(d.Id, d.Kind, fleet.Credentials.GetValueOrDefault(d.Id, fleet.Secret ?? ""), fleet)).ToList();
        var write = new Lock();
        void Print(string line)
        {
            lock (write)
            {
                output.WriteLine(line);
            }
        }

        try
        {
            foreach (var d in devices)
            {
                d.OnGatewayMessage = (device, topic, payload) => Print($"{device.Id} <- {topic} {payload}");
                await d.StartAsync(cancellationToken).ConfigureAwait(false);
                Print($"{d.Id} ({d.Kind}) online");
            }

            var seed = fleet.Seed;
            await Task.WhenAll(devices.Select(d => RunDeviceAsync(d, new Random(seed++), eventsPerMinute, heartbeat, fleet.HeartbeatQos, Print, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    private static async Task RunDeviceAsync(SimulatedDevice device, Random random, double eventsPerMinute, TimeSpan heartbeat, MqttQos heartbeatQos, Action<string> print, CancellationToken cancellationToken)
    {
        var nextHeartbeat = DateTime.UtcNow + heartbeat;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Exponential gaps give a Poisson stream of alarms at the asked-for average rate.
            var gap = eventsPerMinute > 0 ? TimeSpan.FromMinutes(-Math.Log(1 - random.NextDouble()) / eventsPerMinute) : heartbeat;
            var wait = DateTime.UtcNow + gap < nextHeartbeat ? gap : nextHeartbeat - DateTime.UtcNow;
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (DateTime.UtcNow >= nextHeartbeat)
            {
                nextHeartbeat = DateTime.UtcNow + heartbeat;
                device.Battery = Math.Max(1, device.Battery - (random.Next(20) == 0 ? 1 : 0));
                await TryAsync(device.SendHeartbeatAsync(heartbeatQos, cancellationToken), $"{device.Id} heartbeat", print).ConfigureAwait(false);
                continue;
            }

            var e = DeviceCatalog.NextEvent(device.Kind, random);
            await TryAsync(device.SendEventAsync(e, cancellationToken), $"{device.Id} -> {e.Type}{(e.Restore ? " (restore)" : "")}", print).ConfigureAwait(false);
        }
    }

    private static async Task TryAsync(Task<MqttPublishResult> publish, string what, Action<string> print)
    {
        try
        {
            var result = await publish.ConfigureAwait(false);
            print($"{what}: {(result.IsSuccess ? "acknowledged" : $"refused {result.ReasonCode} {result.ReasonString}")}");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            print($"{what}: not sent ({e.Message})");
        }
    }

    private static DeviceFleetOptions Fleet(Dictionary<string, string> opts)
    {
        var fleet = new DeviceFleetOptions
        {
            Host = opts.GetValueOrDefault("host", "127.0.0.1"),
            Port = int.Parse(opts.GetValueOrDefault("port", "1883"), CultureInfo.InvariantCulture),
            UseTls = opts.ContainsKey("tls"),
            InsecureTls = opts.ContainsKey("insecure"),
            ProtocolVersion = opts.GetValueOrDefault("mqtt", "5") switch
            {
                "5" or "5.0" => MqttProtocolVersion.V500,
                "3.1.1" or "311" or "4" => MqttProtocolVersion.V311,
                var v => throw new FormatException($"--mqtt {v}: use 5 or 3.1.1"),
            },
            Count = int.Parse(opts.GetValueOrDefault("count", "10"), CultureInfo.InvariantCulture),
            IdPrefix = opts.GetValueOrDefault("id-prefix", "sim-"),
            Secret = opts.GetValueOrDefault("secret"),
            Seed = opts.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : Environment.TickCount,
        };
        if (opts.TryGetValue("kinds", out var kinds))
        {
            fleet.Kinds = [.. kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k =>
                DeviceCatalog.TryParse(k, out var kind) ? kind : throw new FormatException($"unknown device kind '{k}'"))];
        }

        if (opts.TryGetValue("credentials", out var file))
        {
            var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && !parts[0].StartsWith('#'))
                {
                    credentials[parts[0]] = parts[1];
                }
            }

            fleet.Credentials = credentials;
            if (!opts.ContainsKey("count"))
            {
                fleet.Count = credentials.Count;
            }
        }

        if (fleet.Count <= 0 || fleet.Kinds.Count == 0)
        {
            throw new ArgumentException("--count must be positive and --kinds not empty");
        }

        return fleet;
    }
}
