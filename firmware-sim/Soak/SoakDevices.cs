using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Telecare.FirmwareSim.Devices;
using Telecare.Protocols.Mqtt;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// The demo pendants pendant-001.. as MQTT devices: each event is a QoS 1 PUBLISH that the client keeps until its
/// PUBACK, across any number of lost connections. The ledger holds (device, seq) of every event whose PUBACK arrived.
/// </summary>
public sealed class SoakDevices : IAsyncDisposable
{
    private static readonly DeviceEvent Press = new("pendant.press");
    private readonly List<SimulatedDevice> _devices;
    private readonly ConcurrentQueue<(string Device, long Seq)> _ledger = new();
    private readonly SoakLatencies _latencies = new();
    private long _sent;
    private long _refused;
    private long _failed;
    private long _outstanding;
    private int _connects;
    private int _next;

    public SoakDevices(int count, int mqttPort)
    {
        var fleet = new DeviceFleetOptions
        {
            Host = "127.0.0.1",
            Port = mqttPort,
            // Status messages stay out of the ledgers' way; the soak is about alarms.
            ReportStatus = false,
            // Back within a second of the restarted gateway listening again.
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        _devices = [.. Enumerable.Range(1, count).Select(i => new SimulatedDevice(Id(i), DeviceKind.Pendant, $"demo-secret-{Id(i)}", fleet))];
        foreach (var device in _devices)
        {
            device.Client.Connected += _ => Interlocked.Increment(ref _connects);
        }
    }

    public IReadOnlyList<string> Ids => [.. _devices.Select(d => d.Id)];

    public long Sent => Interlocked.Read(ref _sent);

    public long Refused => Interlocked.Read(ref _refused);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Published and neither acknowledged nor failed yet.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    public bool AllConnected => _devices.All(d => d.Client.IsConnected);

    /// <summary>Connections made after the first one of each device.</summary>
    public int Reconnects => Math.Max(0, Volatile.Read(ref _connects) - _devices.Count);

    public IReadOnlyCollection<(string Device, long Seq)> Ledger => _ledger;

    public SoakLatencies Latencies => _latencies;

    /// <summary>The demo data set's pendants: pendant-001 belongs to the first resident, and so on.</summary>
    public static string Id(int number) => string.Create(CultureInfo.InvariantCulture, $"pendant-{number:000}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_devices.Select(d => d.StartAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>One pendant press from the next device in turn; its PUBACK is waited for in the background.</summary>
    public void PublishNext()
    {
        var device = _devices[_next++ % _devices.Count];
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _outstanding);
        _ = TrackAsync(device.Id, device.PublishEvent(Press), at);
    }

    private async Task TrackAsync(string device, DeviceEventPublish publish, long at)
    {
        try
        {
            var result = await publish.Acknowledged.ConfigureAwait(false);
            if (result.IsSuccess)
            {
                _latencies.Record(at);
                _ledger.Enqueue((device, publish.Seq));
            }
            else
            {
                Interlocked.Increment(ref _refused);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_devices.Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
