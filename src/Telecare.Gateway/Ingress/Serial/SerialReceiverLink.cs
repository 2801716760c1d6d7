using System.Text;
using Telecare.Core.Signals;
using Telecare.Gateway.Health;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.Gateway.Ingress.Serial;

/// <summary>
/// One alarm receiver on one serial port: read a line, store it, then ACK (0x06) — never before the store's
/// receipt. An unreadable line is stored as rejected and NAKed so the receiver sends it again; a line the store
/// cannot take gets no answer at all, so the receiver sends it again after its ACK timeout. Heartbeats are
/// acknowledged and supervised; silence beyond the timeout, or the port vanishing, is a <c>receiver.link-down</c>
/// signal, and the first line after it a <c>receiver.link-up</c>. A vanished port is reopened with back-off.
/// </summary>
public sealed partial class SerialReceiverLink
{
    private readonly SerialReceiverOptions _options;
    private readonly ISignalSink _sink;
    private readonly IngressHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContactIdEventMap _codes;
    private readonly string _healthName;
    private readonly object _gate = new();
    private DateTimeOffset _lastHeard;
    private bool _linkDown;

    public SerialReceiverLink(SerialReceiverOptions options, ISignalSink sink, IngressHealth health, TimeProvider time, ILogger logger)
    {
        _options = options;
        _sink = sink;
        _health = health;
        _time = time;
        _logger = logger;
        _codes = options.ToCodeMap();
        _healthName = $"serial:{options.ReceiverId}";
        _lastHeard = time.GetUtcNow();
        health.Register(_healthName, time.GetUtcNow());
    }

    /// <summary>Lines stored and acknowledged since start (for tests and logs).</summary>
    public long Acknowledged { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var supervision = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watchdog = SuperviseAsync(supervision.Token);
        var backoff = TimeSpan.FromSeconds(_options.ReopenMinSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var port = LinuxSerialPort.Open(_options.ToSettings());
                    LogOpened(_logger, _options.Path, _options.ReceiverId, _options.Dialect);
                    _health.Report(_healthName, true, null, _time.GetUtcNow());
                    // Silence is counted from when the line could first be heard, not from the gateway's own start-up.
                    Heard();
                    backoff = TimeSpan.FromSeconds(_options.ReopenMinSeconds);
                    await ServeAsync(new ReceiverConnection(port, ReceiverCodec.Create(_options.Dialect, _options.MaxLineLength)), stoppingToken);
                    LogClosed(_logger, _options.Path);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is SerialPortException or IOException)
                {
                    LogPortLost(_logger, _options.Path, ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Anything else is still this port's trouble: reopened like a lost port, never the host's end.
                    LogLinkFailed(_logger, ex, _options.Path);
                }

                _health.Report(_healthName, false, $"{_options.Path} not open", _time.GetUtcNow());
                await ReportLinkDownAsync("port lost", stoppingToken);
                await Task.Delay(backoff, _time, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(_options.ReopenMaxSeconds).Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await supervision.CancelAsync();
            await watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ServeAsync(ReceiverConnection connection, CancellationToken cancellationToken)
    {
        while (await connection.ReadAsync(cancellationToken) is { } result)
        {
            Heard();
            await ReportLinkUpAsync(cancellationToken);
            if (result.Frame is { } frame)
            {
                if (frame.Kind == ReceiverFrameKind.Event && !await TryStoreAsync(ToSignal(frame), cancellationToken))
                {
                    continue;
                }

                // Heartbeats and link tests are acknowledged like any message but not stored: they repeat by design.
                if (result.EndOfLine)
                {
                    await connection.AcknowledgeAsync(cancellationToken);
                    Acknowledged++;
                }
            }
            else if (result.Malformed is { } bad)
            {
                if (!await TryStoreAsync(Rejected(bad), cancellationToken))
                {
                    continue;
                }

                LogRejectedLine(_logger, _options.ReceiverId, bad.Reason);
                // A piece cut from an endless line gets no answer; a whole bad line is NAKed so it comes again.
                if (result.EndOfLine && bad.Reason != "line-too-long")
                {
                    await connection.RejectAsync(cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// False if the store could not take the line: it then gets no answer at all, so the receiver sends it again after
    /// its ACK timeout, and the link keeps serving (a store outage must not stop the serial ingress, nor the gateway).
    /// </summary>
    private async Task<bool> TryStoreAsync(IncomingSignal signal, CancellationToken cancellationToken)
    {
        try
        {
            await _sink.SubmitAsync(signal, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLineNotStored(_logger, ex, _options.ReceiverId);
            return false;
        }
    }

    private IncomingSignal ToSignal(ReceiverFrame frame)
    {
        var deviceRef = $"{_options.ReceiverId}/{frame.Account}";
        string eventType;
        var restore = frame.IsRestore;
        if (frame.Qualifier is { } qualifier && _codes.TryMap(frame.EventCode, qualifier, out var mapped))
        {
            eventType = mapped.EventName;
            restore = mapped.Restore;
        }
        else
        {
            // Not guessed: an unmapped code still reaches a handler (no rule matches it, so triage raises it for judgement).
            eventType = frame.SiaCode is { } sia ? $"sia.{sia}" : $"contact-id.{frame.EventCode:000}";
        }

        return new IncomingSignal
        {
            Source = SignalSource.Serial,
            DeviceRef = deviceRef,
            EventType = eventType,
            Restore = restore,
            Zone = frame.Zone.ToString("000", System.Globalization.CultureInfo.InvariantCulture),
            DataJson = $$"""{"receiver":"{{frame.Receiver}}","line":"{{frame.Line}}","code":{{frame.EventCode}},"group":{{frame.Group}},"zoneIsUser":{{(frame.ZoneIsUser ? "true" : "false")}},"copies":{{frame.Copies}}}""",
            RawFrame = frame.Raw,
        };
    }

    private IncomingSignal Rejected(ReceiverMalformed bad) => new()
    {
        Source = SignalSource.Serial,
        DeviceRef = _options.ReceiverId,
        RawFrame = bad.Raw,
        RejectionReason = bad.Reason,
    };

    private void Heard()
    {
        lock (_gate)
        {
            _lastHeard = _time.GetUtcNow();
        }
    }

    /// <summary>Checks the silence every second (or a tenth of the timeout, if shorter).</summary>
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(_options.HeartbeatTimeoutSeconds);
        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, Math.Max(timeout.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks)));
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                DateTimeOffset last;
                lock (_gate)
                {
                    last = _lastHeard;
                }

                if (_time.GetUtcNow() - last > timeout)
                {
                    await ReportLinkDownAsync($"no heartbeat for {timeout.TotalSeconds:0.#} s", cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReportLinkDownAsync(string why, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_linkDown)
            {
                return;
            }

            _linkDown = true;
        }

        LogLinkDown(_logger, _options.ReceiverId, why);
        await SubmitLinkStateAsync(EventTypes.ReceiverLinkDown, why, cancellationToken);
    }

    private async Task ReportLinkUpAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_linkDown)
            {
                return;
            }

            _linkDown = false;
        }

        LogLinkUp(_logger, _options.ReceiverId);
        await SubmitLinkStateAsync(EventTypes.ReceiverLinkUp, "receiver heard again", cancellationToken);
    }

    private async Task SubmitLinkStateAsync(string eventType, string why, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            await _sink.SubmitAsync(new IncomingSignal
            {
                Source = SignalSource.Serial,
                DeviceRef = _options.ReceiverId,
                EventType = eventType,
                DeviceTime = now,
                DataJson = $$"""{"path":"{{_options.Path}}","reason":"{{why}}"}""",
                // The gateway's own observation: its time makes each one distinct for the raw-frame dedupe.
                RawFrame = Encoding.UTF8.GetBytes($"{eventType} {_options.ReceiverId} {_options.Path} {now:O} {why}"),
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLinkStateNotStored(_logger, ex, _options.ReceiverId, eventType);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Serial receiver {ReceiverId} open on {Path} ({Dialect})")]
    private static partial void LogOpened(ILogger logger, string path, string receiverId, ReceiverDialect dialect);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Serial port {Path} closed")]
    private static partial void LogClosed(ILogger logger, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Serial port {Path} lost or cannot open: {Reason}; reopening with back-off")]
    private static partial void LogPortLost(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "Serial port {Path}: the link failed; reopening with back-off")]
    private static partial void LogLinkFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Receiver {ReceiverId} sent a line that cannot be read: {Reason}; stored as rejected")]
    private static partial void LogRejectedLine(ILogger logger, string receiverId, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Receiver {ReceiverId} link down: {Reason}")]
    private static partial void LogLinkDown(ILogger logger, string receiverId, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Receiver {ReceiverId} link up")]
    private static partial void LogLinkUp(ILogger logger, string receiverId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Receiver {ReceiverId}: {EventType} could not be stored")]
    private static partial void LogLinkStateNotStored(ILogger logger, Exception exception, string receiverId, string eventType);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Receiver {ReceiverId}: a line could not be stored; not acknowledged, the receiver will send it again")]
    private static partial void LogLineNotStored(ILogger logger, Exception exception, string receiverId);
}
