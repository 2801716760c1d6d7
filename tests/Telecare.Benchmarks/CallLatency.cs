using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Benchmarks;

/// <summary>
/// Signal → CallRaised: the real gateway as a child process (Kestrel, durable store, triage, SignalR), signals posted
/// to POST /api/v1/signals at an offered rate, and the time until each one's CallRaised reaches a connected dispatch
/// console over a WebSocket. Every signal comes from its own registered pendant, so each raises its own call.
/// The first second of signals warms the process up (JIT, connection pools) and is left out of the figures.
/// Usage: call-latency [rate=1000] [seconds=10]
/// </summary>
internal static class CallLatency
{
    private const string IngestKey = "tgk_benchingest_ingest-key-for-the-call-latency-benchmark";
    private const string HandlerKey = "tgk_benchhandler_handler-key-for-the-call-latency-benchmark";

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var total = rate * (seconds + 1);
        var data = Directory.CreateTempSubdirectory("telecare-call-latency-");
        try
        {
            // One registered pendant per signal (signals come over HTTP: the shared secret is not used).
            GatewaySeed.Devices(Path.Combine(data.FullName, "telecare.db"), MqttTarget.Secret, Enumerable.Range(0, total).Select(i => ($"bench-{i}", "pendant")));
            await using var gateway = new GatewayProcess(data.FullName, new Dictionary<string, string>
            {
                ["Security__Bootstrap__AdminPassword"] = "benchmark-admin-password",
                ["Security__Bootstrap__ApiKeys__0__Name"] = "bench-ingest",
                ["Security__Bootstrap__ApiKeys__0__Role"] = "installer",
                ["Security__Bootstrap__ApiKeys__0__Key"] = IngestKey,
                ["Security__Bootstrap__ApiKeys__1__Name"] = "bench-handler",
                ["Security__Bootstrap__ApiKeys__1__Role"] = "handler",
                ["Security__Bootstrap__ApiKeys__1__Key"] = HandlerKey,
                ["Serilog__MinimumLevel__Default"] = "Warning",
            });
            await gateway.StartAsync();
            await MeasureAsync(gateway, rate, seconds, total, warmUp: rate);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task MeasureAsync(GatewayProcess gateway, int rate, int seconds, int total, int warmUp)
    {
        var sentAt = new long[total];
        var raisedAt = new long[total];
        var acceptedAt = new long[total];
        var raised = 0;
        var allRaised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var console = await HubClient.ConnectAsync(async cancellationToken =>
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-Api-Key", HandlerKey);
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{gateway.Port}/hubs/dispatch"), cancellationToken);
            return socket;
        });
        console.OnEvent = (target, arguments) =>
        {
            if (target == "CallRaised" && arguments[0].GetProperty("deviceId").GetString() is { } device
                && device.StartsWith("bench-", StringComparison.Ordinal)
                && int.TryParse(device.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
            {
                raisedAt[index] = Stopwatch.GetTimestamp();
                if (Interlocked.Increment(ref raised) == total)
                {
                    allRaised.TrySetResult();
                }
            }
        };
        await console.WaitForAsync("Snapshot");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", IngestKey);
        var failures = new ConcurrentBag<string>();
        var posts = new List<Task>(total);
        var pacer = new Pacer(rate);
        for (var i = 0; i < total; i++)
        {
            await pacer.WaitForTurnAsync(i);

            var index = i;
            sentAt[index] = Stopwatch.GetTimestamp();
            var body = new StringContent($$"""{"deviceId":"bench-{{index}}","seq":1,"type":"pendant.press"}""", Encoding.UTF8, "application/json");
            posts.Add(http.PostAsync("/api/v1/signals", body).ContinueWith(t =>
            {
                acceptedAt[index] = Stopwatch.GetTimestamp();
                if (t.IsFaulted || (int)t.Result.StatusCode != 202)
                {
                    failures.Add(t.IsFaulted ? t.Exception!.GetBaseException().Message : t.Result.StatusCode.ToString());
                }
            }, TaskScheduler.Default));
        }

        var offeredFor = pacer.Elapsed;
        await Task.WhenAll(posts);
        await Task.WhenAny(allRaised.Task, Task.Delay(TimeSpan.FromSeconds(60)));

        var callLatencies = Latencies(sentAt[warmUp..], raisedAt[warmUp..]);
        var ackLatencies = Latencies(sentAt[warmUp..], acceptedAt[warmUp..]);
        Console.WriteLine($"signal → CallRaised on a connected dispatch console, {rate}/s offered for {seconds} s " +
            $"({total - warmUp} signals over HTTP after {warmUp} to warm up, each from its own pendant; offered in {offeredFor.TotalSeconds:0.0} s):");
        Console.WriteLine($"  CallRaised  {Summary(callLatencies)}   received {raised}/{total}");
        Console.WriteLine($"  HTTP 202    {Summary(ackLatencies)}   failed {failures.Count}{(failures.IsEmpty ? "" : " (" + failures.First() + ")")}");
    }

    private static double[] Latencies(long[] from, long[] to)
    {
        var values = new List<double>(from.Length);
        for (var i = 0; i < from.Length; i++)
        {
            if (to[i] != 0)
            {
                values.Add(Stopwatch.GetElapsedTime(from[i], to[i]).TotalMilliseconds);
            }
        }

        values.Sort();
        return [.. values];
    }

    private static string Summary(double[] sorted) => sorted.Length == 0
        ? "no samples"
        : $"p50 {Percentile(sorted, 0.50):0.00} ms   p99 {Percentile(sorted, 0.99):0.00} ms   p99.9 {Percentile(sorted, 0.999):0.00} ms   max {sorted[^1]:0.00} ms";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
