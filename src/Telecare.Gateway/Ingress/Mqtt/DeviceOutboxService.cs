using System.Threading.Channels;
using Telecare.Core.Calls;
using Telecare.Core.Registry;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// Gateway → device messages that follow from what people do: a call's progress on the ack topic of the MQTT device
/// that raised it ("answered", "responder-on-the-way") and each MQTT device's retained config. Callers hand work over
/// after their commit without waiting (a bounded queue; when full the message is dropped with a warning), one loop
/// sends in order with a timeout on each publish, and a failure is only logged: a device message never holds up or
/// fails the action behind it. Serial receiver accounts are not MQTT devices and get nothing.
/// </summary>
public sealed partial class DeviceOutboxService(
    IDeviceNotifier notifier,
    IDeviceLinkStore devices,
    TimeProvider time,
    ILogger<DeviceOutboxService> logger) : BackgroundService
{
    private const int Capacity = 4096;

    /// <summary>Devices read and published at once when republishing every config (External mode waits for each PUBACK).</summary>
    private const int RepublishPage = 64;

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Dictionary<string, ITimer> _testModeEnds = new(StringComparer.Ordinal);

    /// <summary>1 while a republish is queued: further requests fold into it.</summary>
    private int _republishQueued;

    private abstract record Work(string DeviceId);

    private sealed record AckWork(string DeviceId, long? SignalId, string Status, long CallId, DateTimeOffset At) : Work(DeviceId);

    private sealed record ConfigWork(string DeviceId) : Work(DeviceId);

    private sealed record RepublishWork() : Work("(all)");

    /// <summary>
    /// A call moved (already committed): tells the device whose alarm raised it when a handler answered or a responder
    /// accepted. Technical tickets and wellbeing calls are not a device's alarm.
    /// </summary>
    public void CallChanged(Call before, CallCommand command, Call after)
    {
        if (after.Kind != CallKind.Alarm || after.TriggerSignalId is null || !DeviceMessages.IsMqttDeviceId(after.DeviceRef))
        {
            return;
        }

        if (DeviceMessages.CallProgress(before.State, command.Action, after.State) is { } status)
        {
            Enqueue(new AckWork(after.DeviceRef!, after.TriggerSignalId, status, after.Id, command.At));
        }
    }

    /// <summary>A device was registered, changed, put in or out of test mode, or retired (already committed).</summary>
    public void DeviceChanged(string deviceId)
    {
        if (DeviceMessages.IsMqttDeviceId(deviceId))
        {
            Enqueue(new ConfigWork(deviceId));
        }
    }

    /// <summary>
    /// Publishes every active MQTT device's config again: when the embedded broker starts (its retained store is empty)
    /// and after each connect to an external broker (it may have restarted without persistence).
    /// </summary>
    public void RepublishAllConfigs()
    {
        if (Interlocked.Exchange(ref _republishQueued, 1) == 0 && !Enqueue(new RepublishWork()))
        {
            Volatile.Write(ref _republishQueued, 0);
        }
    }

    public override void Dispose()
    {
        lock (_testModeEnds)
        {
            foreach (var timer in _testModeEnds.Values)
            {
                timer.Dispose();
            }

            _testModeEnds.Clear();
        }

        base.Dispose();
    }

    private bool Enqueue(Work work)
    {
        if (_queue.Writer.TryWrite(work))
        {
            return true;
        }

        LogDropped(logger, work.DeviceId, Capacity);
        return false;
    }

    /// <summary>One loop sends everything, so a device's messages go out in the order they were decided.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_queue.Reader.TryRead(out var work))
                {
                    await (work is RepublishWork ? RepublishAsync(stoppingToken) : SendOneAsync(work, stoppingToken));
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the broker or its client may already be gone (configs are published again at the next start).
        }
    }

    private async Task SendOneAsync(Work work, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(PublishTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            switch (work)
            {
                case AckWork ack:
                    // Only to the device whose own signal raised the call (not the gateway's, such as a missed check-in), while it is active.
                    if (ack.SignalId is { } signalId && await devices.FindOwnSignalAsync(ack.DeviceId, signalId, linked.Token) is { Found: true } own)
                    {
                        await notifier.PublishAckAsync(ack.DeviceId, DeviceMessages.Ack(own.Sequence, ack.Status, ack.CallId, ack.At), linked.Token);
                    }

                    break;
                case ConfigWork config:
                    if (await devices.GetConfigAsync(config.DeviceId, linked.Token) is { } row)
                    {
                        await PublishConfigAsync(row, linked.Token);
                    }

                    break;
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogSendFailed(logger, ex, work.GetType().Name, work.DeviceId);
        }
    }

    /// <summary>
    /// Page by page, each read just before it is sent (so a change made meanwhile is not overwritten by an older copy),
    /// with the acks and changes that arrive meanwhile sent between pages rather than after the whole fleet.
    /// </summary>
    private async Task RepublishAsync(CancellationToken stoppingToken)
    {
        Volatile.Write(ref _republishQueued, 0);
        long after = 0;
        int count = 0, failed = 0;
        Exception? first = null;
        while (true)
        {
            IReadOnlyList<DeviceConfig> page;
            try
            {
                page = await devices.ListActiveConfigsAsync(after, RepublishPage, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failed++;
                first ??= ex;
                break;
            }

            if (page.Count == 0)
            {
                break;
            }

            using (var timeout = new CancellationTokenSource(PublishTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken))
            {
                var errors = await Task.WhenAll(page.Select(async row =>
                {
                    try
                    {
                        await PublishConfigAsync(row, linked.Token);
                        return null;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        return ex;
                    }
                }));
                stoppingToken.ThrowIfCancellationRequested();
                count += page.Count;
                failed += errors.Count(e => e is not null);
                first ??= errors.FirstOrDefault(e => e is not null);
            }

            after = page[^1].RowId;
            while (_queue.Reader.TryRead(out var work))
            {
                if (work is RepublishWork)
                {
                    // Asked again (the broker came back meanwhile): start over, what was sent may be gone.
                    Volatile.Write(ref _republishQueued, 0);
                    after = 0;
                }
                else
                {
                    await SendOneAsync(work, stoppingToken);
                }
            }
        }

        // One line for the whole fleet: a broker that refuses the gateway's writes would otherwise log once per device.
        if (first is not null)
        {
            LogRepublishFailed(logger, first, failed, count);
        }
        else
        {
            LogRepublished(logger, count);
        }
    }

    private async Task PublishConfigAsync(DeviceConfig row, CancellationToken cancellationToken)
    {
        if (!DeviceMessages.IsMqttDeviceId(row.DeviceId))
        {
            return;
        }

        var now = time.GetUtcNow();
        if (!row.Active)
        {
            ScheduleTestModeEnd(row.DeviceId, null, now);
            // An empty retained message removes the retired device's config from the broker.
            await notifier.PublishConfigAsync(row.DeviceId, ReadOnlyMemory<byte>.Empty, cancellationToken);
            return;
        }

        await notifier.PublishConfigAsync(row.DeviceId, DeviceMessages.Config(row.CheckinIntervalSeconds, row.TestModeUntil, now), cancellationToken);
        ScheduleTestModeEnd(row.DeviceId, row.TestModeUntil, now);
    }

    /// <summary>Test mode ends by itself: the config is published again just after, so the retained copy says so.</summary>
    private void ScheduleTestModeEnd(string deviceId, DateTimeOffset? until, DateTimeOffset now)
    {
        lock (_testModeEnds)
        {
            if (_testModeEnds.Remove(deviceId, out var previous))
            {
                previous.Dispose();
            }

            if (until is { } end && end > now)
            {
                _testModeEnds[deviceId] = time.CreateTimer(_ => DeviceChanged(deviceId), null, end - now + TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }
        }
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Device message queue full ({Capacity}): message to {DeviceId} dropped")]
    private static partial void LogDropped(ILogger logger, string deviceId, int capacity);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Could not send {Kind} to device {DeviceId}")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string kind, string deviceId);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Information, Message = "Config published (retained) for {Count} MQTT devices")]
    private static partial void LogRepublished(ILogger logger, int count);

    [LoggerMessage(EventId = 7304, Level = LogLevel.Warning, Message = "Config could not be published for {Failed} of {Count} MQTT devices (first failure attached)")]
    private static partial void LogRepublishFailed(ILogger logger, Exception exception, int failed, int count);
}
