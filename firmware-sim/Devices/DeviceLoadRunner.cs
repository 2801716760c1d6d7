using System.Diagnostics;

namespace Telecare.FirmwareSim.Devices;

/// <summary>
/// Load mode: N connected devices share a target event rate for a duration; each event is a QoS 1
/// PUBLISH timed until its PUBACK.
/// </summary>
public static class DeviceLoadRunner
{
    public static async Task<DeviceLoadReport> RunAsync(DeviceFleetOptions fleet, double ratePerSecond, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        var random = new Random(fleet.Seed);
        var devices = new List<SimulatedDevice>();
        try
        {
            foreach (var (id, kind) in fleet.Devices())
            {
                devices.Add(new SimulatedDevice(id, kind, fleet.Credentials.GetValueOrDefault(id, fleet.Secret ?? ""), fleet));
            }

            // Connect in modest batches so a large fleet does not stampede the listener.
            foreach (var batch in devices.Chunk(100))
            {
                await Task.WhenAll(batch.Select(d => d.StartAsync(cancellationToken))).ConfigureAwait(false);
            }

            var latencies = new LatencyRecorder();
            long sent = 0, acked = 0, refused = 0, failed = 0;
            var inflight = new List<Task>();
            var started = Stopwatch.GetTimestamp();
            var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
            var next = 0;
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond);
                while (sent < due)
                {
                    var device = devices[next++ % devices.Count];
                    var e = DeviceCatalog.NextEvent(device.Kind, random);
                    var at = Stopwatch.GetTimestamp();
                    sent++;
                    inflight.Add(Measure(device.SendEventAsync(e, cancellationToken), at));
                }

                inflight.RemoveAll(t => t.IsCompleted);
                await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(inflight).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return new DeviceLoadReport(devices.Count, sent, acked, refused, failed, elapsed,
                latencies.PercentileMs(0.50), latencies.PercentileMs(0.99), latencies.PercentileMs(0.999));

            async Task Measure(Task<Telecare.Protocols.Mqtt.MqttPublishResult> publish, long at)
            {
                try
                {
                    var result = await publish.ConfigureAwait(false);
                    latencies.Record(at);
                    Interlocked.Increment(ref result.IsSuccess ? ref acked : ref refused);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }
}
