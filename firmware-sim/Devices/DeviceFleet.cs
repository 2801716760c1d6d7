using System.Diagnostics;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Devices;

/// <summary>
/// A connected fleet that runs one load phase after another on the same connections, so a warm-up and the measured
/// run share sequence numbers (a new connection starting again at 1 would be answered as a duplicate) and connecting
/// is never inside a measured phase. Every phase is bounded: acknowledgements still missing 30 s after its end are a
/// <see cref="TimeoutException"/>.
/// </summary>
public sealed class DeviceFleet : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly DeviceEvent PendantPress = new("pendant.press");

    private readonly List<SimulatedDevice> _devices;
    private readonly Random _random;
    private readonly Lock _randomSync = new();

    private DeviceFleet(List<SimulatedDevice> devices, int seed)
    {
        _devices = devices;
        _random = new Random(seed);
    }

    public int Count => _devices.Count;

    public static async Task<DeviceFleet> ConnectAsync(DeviceFleetOptions options, CancellationToken cancellationToken = default)
    {
        var devices = new List<SimulatedDevice>();
        var fleet = new DeviceFleet(devices, options.Seed);
        try
        {
            foreach (var (id, kind) in options.Devices())
            {
                devices.Add(new SimulatedDevice(id, kind, options.Credentials.GetValueOrDefault(id, options.Secret ?? ""), options));
            }

            // Connect in modest batches so a large fleet does not stampede the listener.
            foreach (var batch in devices.Chunk(100))
            {
                await Task.WhenAll(batch.Select(d => d.StartAsync(cancellationToken))).ConfigureAwait(false);
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Open loop: <paramref name="ratePerSecond"/> messages a second, taken by the devices in turn, whatever the answers.</summary>
    public async Task<DeviceLoadReport> RunPacedAsync(double ratePerSecond, TimeSpan duration, DeviceLoadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        var tally = new Tally();
        var inflight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var next = 0;
        while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond);
            while (tally.Sent < due)
            {
                var device = _devices[next++ % _devices.Count];
                var at = Stopwatch.GetTimestamp();
                tally.Sent++;
                inflight.Add(tally.MeasureAsync(Send(device, message, cancellationToken), at));
            }

            inflight.RemoveAll(t => t.IsCompleted);
            await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(inflight).WaitAsync(DrainTimeout, cancellationToken).ConfigureAwait(false);
        return tally.Report(_devices.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Closed loop: every device keeps <paramref name="window"/> messages in flight, each answered one replaced at once,
    /// for <paramref name="duration"/>; what is acknowledged per second is the saturation throughput.
    /// </summary>
    public async Task<DeviceLoadReport> RunSaturatedAsync(int window, TimeSpan duration, DeviceLoadMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        var tally = new Tally();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = _devices.SelectMany(d => Enumerable.Range(0, window).Select(_ => LoopAsync(d))).ToList();
        await Task.WhenAll(loops).WaitAsync(duration + DrainTimeout, cancellationToken).ConfigureAwait(false);
        return tally.Report(_devices.Count, Stopwatch.GetElapsedTime(started));

        async Task LoopAsync(SimulatedDevice device)
        {
            // Off the caller's thread, so the first window of every device is on the wire together.
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                var at = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref tally.Sent);
                if (!await tally.MeasureAsync(Send(device, message, cancellationToken), at).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private Task<MqttPublishResult> Send(SimulatedDevice device, DeviceLoadMessage message, CancellationToken cancellationToken) => message switch
    {
        DeviceLoadMessage.Alarm => device.SendEventAsync(PendantPress, cancellationToken),
        DeviceLoadMessage.Heartbeat => device.SendHeartbeatAsync(MqttQos.AtLeastOnce, cancellationToken),
        _ => device.SendEventAsync(NextEvent(device.Kind), cancellationToken),
    };

    private DeviceEvent NextEvent(DeviceKind kind)
    {
        // Random is not thread-safe, and a closed loop asks from many threads.
        lock (_randomSync)
        {
            return DeviceCatalog.NextEvent(kind, _random);
        }
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_devices.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);

    private sealed class Tally
    {
        public long Sent;
        private readonly LatencyRecorder _latencies = new();
        private long _acked, _refused, _failed;

        /// <summary>False when the publish failed (its connection is gone), so a closed loop stops using it.</summary>
        public async Task<bool> MeasureAsync(Task<MqttPublishResult> publish, long at)
        {
            try
            {
                var result = await publish.ConfigureAwait(false);
                _latencies.Record(at);
                Interlocked.Increment(ref result.IsSuccess ? ref _acked : ref _refused);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _failed);
                return false;
            }
        }

        public DeviceLoadReport Report(int devices, TimeSpan elapsed) =>
            new(devices, Interlocked.Read(ref Sent), Interlocked.Read(ref _acked), Interlocked.Read(ref _refused), Interlocked.Read(ref _failed), elapsed,
                _latencies.PercentileMs(0.50), _latencies.PercentileMs(0.99), _latencies.PercentileMs(0.999));
    }
}
