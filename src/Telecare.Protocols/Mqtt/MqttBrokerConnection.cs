using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// One network connection to the broker: a read loop over the pipe (read, parse while possible,
/// AdvanceTo), an ordered acknowledgement loop that awaits the handler, and a single writer.
/// </summary>
internal sealed class MqttBrokerConnection
{
    private const int MaxQueuedQos0Packets = 1000;

    private readonly MqttBroker _broker;
    private readonly IDuplexPipe _transport;
    private readonly MqttBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly MqttCodecLimits _limits;
    private readonly CancellationTokenSource _cts = new();
    private readonly Channel<MqttPacket> _out = Channel.CreateUnbounded<MqttPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<PendingAck> _acks;
    private int _outCount;
    private long _lastReceivedTicks;
    private TimeSpan _keepAliveLimit;
    private ITimer? _keepAliveTimer;
    private Dictionary<ushort, string>? _topicAliases;
    private int _incomingPending;
    private int _closed;

    public MqttBrokerConnection(MqttBroker broker, IDuplexPipe transport, EndPoint? remoteEndPoint, MqttBrokerOptions options, TimeProvider time)
    {
        _broker = broker;
        _transport = transport;
        _options = options;
        _time = time;
        _limits = options.CodecLimits();
        RemoteEndPoint = remoteEndPoint;
        _acks = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(options.ReceiveMaximum + 16)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private readonly record struct PendingAck(MqttPublishPacket Packet, MqttApplicationMessage? Message, ValueTask<MqttPublishOutcome> Outcome, bool Allowed, bool Duplicate);

    public EndPoint? RemoteEndPoint { get; }
    public MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V311;
    public MqttBrokerSession? Session { get; set; }
    public MqttBrokerClient? Client { get; set; }
    public MqttWill? Will { get; set; }
    public ushort OutgoingMaximum { get; set; }

    /// <summary>Called once when the CONNECT phase is over (accepted, refused, timed out or closed).</summary>
    public Action? ConnectPhaseEnded { get; init; }

    /// <summary>The keep-alive this connection is held to (the client's, capped by the broker).</summary>
    public ushort KeepAliveSeconds { get; set; }

    /// <summary>Counted against <see cref="MqttBrokerOptions.MaxConnections"/>.</summary>
    public bool Counted { get; set; }
    public uint ClientMaximumPacketSize { get; set; } = uint.MaxValue;

    /// <summary>False when an MQTT 5 client asked for no problem information (OASIS 2019 3.1.2.11.7).</summary>
    public bool SendReasonStrings { get; set; } = true;

    /// <summary>Set when the client sent DISCONNECT without asking for its will.</summary>
    public bool CleanDisconnect { get; private set; }

    /// <summary>Set when another connection took the session over and keeps it (no clean start).</summary>
    public bool TakenOverKeepingSession { get; set; }

    public CancellationToken Aborted => _cts.Token;

    public async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        Task? acks = null;
        try
        {
            var connect = await ReadConnectAsync().ConfigureAwait(false);
            if (connect is null)
            {
                return;
            }

            Version = connect.ProtocolVersion;
            var accepted = await _broker.AcceptConnectAsync(this, connect, _cts.Token).ConfigureAwait(false);
            ConnectPhaseEnded?.Invoke();
            if (!accepted)
            {
                CloseAfterSending(null);
                return;
            }

            acks = AckLoopAsync();
            StartKeepAlive(KeepAliveSeconds);
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            Log($"connection {RemoteEndPoint} failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _keepAliveTimer?.Dispose();
            _acks.Writer.TryComplete();
            if (acks is not null)
            {
                try
                {
                    // Messages already with the handler are still acknowledged and routed, within a bound.
                    await acks.WaitAsync(_options.HandlerDrainTimeout).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Log($"{Client}: handler still busy {_options.HandlerDrainTimeout.TotalSeconds:0.#} s after the connection ended; not acknowledging");
                    _cts.Cancel();
                    await acks.ConfigureAwait(false);
                }
            }

            // Session state is settled before the peer sees the connection close.
            Interlocked.Exchange(ref _closed, 1);
            _broker.OnConnectionClosed(this);
            _out.Writer.TryComplete();
            try
            {
                // A peer that stops reading must not hold the connection open forever.
                await writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _transport.Output.CancelPendingFlush();
                await writer.ConfigureAwait(false);
            }

            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            _cts.Cancel();
        }
    }

    /// <summary>Queues a packet for the writer. Dropped silently once the connection is closing.</summary>
    public void Send(MqttPacket packet)
    {
        if (Volatile.Read(ref _closed) == 0 && _out.Writer.TryWrite(packet))
        {
            Interlocked.Increment(ref _outCount);
        }
    }

    /// <summary>QoS 0 deliveries are dropped, not queued without bound, when the client does not keep up.</summary>
    public bool TrySendDroppable(MqttPacket packet)
    {
        if (Volatile.Read(ref _outCount) >= MaxQueuedQos0Packets)
        {
            return false;
        }

        Send(packet);
        return true;
    }

    /// <summary>Sends <paramref name="last"/> (if any), lets the writer flush, and ends the connection.</summary>
    public void CloseAfterSending(MqttPacket? last)
    {
        if (last is not null)
        {
            Send(last);
        }

        _out.Writer.TryComplete();
        _cts.Cancel();
    }

    /// <summary>Ends the connection; on MQTT 5 the client is told why when <paramref name="reason"/> is given.</summary>
    public void Abort(MqttReasonCode? reason, string? reasonString = null)
    {
        var properties = reasonString is not null && SendReasonStrings ? new MqttProperties { ReasonString = reasonString } : MqttProperties.Empty;
        CloseAfterSending(reason is { } code && Version == MqttProtocolVersion.V500 && Client is not null
            ? new MqttDisconnectPacket(code) { Properties = properties }
            : null);
    }

    private async Task<MqttConnectPacket?> ReadConnectAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, timeout.Token);
        var input = _transport.Input;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Warn($"{RemoteEndPoint}: no CONNECT within {_options.ConnectTimeout.TotalSeconds:0.#} s; closing");
                return null;
            }

            var buffer = result.Buffer;
            var status = MqttPacketCodec.TryRead(ref buffer, MqttProtocolVersion.V311, _limits, out var packet, out var error);
            if (status == MqttReadStatus.Packet)
            {
                input.AdvanceTo(buffer.Start);
                if (packet is MqttConnectPacket connect)
                {
                    Touch();
                    return connect;
                }

                Warn($"{RemoteEndPoint}: first packet was {packet!.Type}, not CONNECT; closing");
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (status == MqttReadStatus.Malformed)
            {
                Warn($"{RemoteEndPoint}: bad CONNECT, closing: {error}");
                if (error.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion)
                {
                    // OASIS 2014 3.2.2.3: answer an unknown level with return code 0x01 in 3.1.1 form.
                    CloseAfterSending(new MqttConnAckPacket(false, (MqttReasonCode)0x01));
                }

                return null;
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(_cts.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var keepGoing = true;
            try
            {
                while (keepGoing)
                {
                    var status = MqttPacketCodec.TryRead(ref buffer, Version, _limits, out var packet, out var error);
                    if (status == MqttReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == MqttReadStatus.Malformed)
                    {
                        Warn($"{Client}: packet refused, closing: {error}");
                        Abort(error.ReasonCode, error.Reason);
                        return;
                    }

                    Touch();
                    keepGoing = await HandlePacketAsync(packet!).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (!keepGoing || result.IsCompleted)
            {
                return;
            }
        }
    }

    private async ValueTask<bool> HandlePacketAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case MqttPublishPacket p:
                return await HandlePublishAsync(p).ConfigureAwait(false);
            case MqttPubAckPacket a:
                _broker.OnPubAck(this, a.PacketId);
                return true;
            case MqttPubRecPacket r:
                _broker.OnPubRec(this, r);
                return true;
            case MqttPubRelPacket r:
                _broker.OnPubRel(this, r.PacketId);
                return true;
            case MqttPubCompPacket c:
                _broker.OnPubComp(this, c.PacketId);
                return true;
            case MqttSubscribePacket s:
                _broker.Subscribe(this, s);
                return true;
            case MqttUnsubscribePacket u:
                _broker.Unsubscribe(this, u);
                return true;
            case MqttPingReqPacket:
                Send(MqttPingRespPacket.Instance);
                return true;
            case MqttDisconnectPacket d:
                CleanDisconnect = d.ReasonCode != MqttReasonCode.DisconnectWithWillMessage;
                if (d.Properties.SessionExpiryInterval is { } expiry)
                {
                    _broker.UpdateSessionExpiry(this, expiry);
                }

                return false;
            default:
                Warn($"{Client}: unexpected {packet.Type}, closing");
                Abort(MqttReasonCode.ProtocolError);
                return false;
        }
    }

    private async ValueTask<bool> HandlePublishAsync(MqttPublishPacket p)
    {
        var topic = p.Topic;
        if (Version == MqttProtocolVersion.V500 && p.Properties.TopicAlias is { } alias)
        {
            if (alias > _options.TopicAliasMaximum)
            {
                Abort(MqttReasonCode.TopicAliasInvalid);
                return false;
            }

            _topicAliases ??= [];
            if (topic.Length > 0)
            {
                _topicAliases[alias] = topic;
            }
            else if (!_topicAliases.TryGetValue(alias, out topic))
            {
                Abort(MqttReasonCode.ProtocolError);
                return false;
            }
        }

        // MQTT 3.1.1 clients do not know our limit; the bounded ack queue slows them down instead.
        if (p.Qos != MqttQos.AtMostOnce && Interlocked.Increment(ref _incomingPending) > _options.ReceiveMaximum && Version == MqttProtocolVersion.V500)
        {
            Warn($"{Client}: more than {_options.ReceiveMaximum} unacknowledged messages; closing");
            Abort(MqttReasonCode.ReceiveMaximumExceeded);
            return false;
        }

        if (p.Qos == MqttQos.ExactlyOnce && _broker.IsIncomingQos2Known(this, p.PacketId))
        {
            // A resend of a QoS 2 message we already took: answer PUBREC again, deliver nothing.
            await _acks.Writer.WriteAsync(new PendingAck(p, null, new(MqttPublishOutcome.Success), true, true), _cts.Token).ConfigureAwait(false);
            return true;
        }

        var message = new MqttApplicationMessage(topic, p.Payload, p.Qos, p.Retain)
        {
            Properties = MqttApplicationMessage.ApplicationProperties(p.Properties),
        };
        var allowed = _broker.CanPublish(Client!, topic);
        ValueTask<MqttPublishOutcome> outcome;
        if (!allowed)
        {
            outcome = new(new MqttPublishOutcome(MqttReasonCode.NotAuthorized));
        }
        else
        {
            try
            {
                outcome = _broker.Handler.OnPublishAsync(Client!, message, _cts.Token);
            }
            catch (Exception e)
            {
                outcome = ValueTask.FromException<MqttPublishOutcome>(e);
            }
        }

        await _acks.Writer.WriteAsync(new PendingAck(p, message, outcome, allowed, false), _cts.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>Acknowledges in arrival order, each only after the handler has finished with it.</summary>
    private async Task AckLoopAsync()
    {
        try
        {
            await foreach (var item in _acks.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                MqttPublishOutcome outcome;
                try
                {
                    // A handler that ignores cancellation must not keep a closed connection alive.
                    outcome = item.Outcome.IsCompletedSuccessfully
                        ? item.Outcome.Result
                        : await item.Outcome.AsTask().WaitAsync(_cts.Token).ConfigureAwait(false);
                }
                catch (MqttServerBusyException e) when (!_cts.IsCancellationRequested)
                {
                    Log($"{Client}: handler cannot take messages now ({e.Message}); closing without acknowledgement");
                    Abort(MqttReasonCode.ServerBusy, e.Message);
                    return;
                }
                catch (Exception e) when (!_cts.IsCancellationRequested)
                {
                    Log($"{Client}: handler did not take a message ({e.GetType().Name}: {e.Message}); closing without acknowledgement");
                    Abort(MqttReasonCode.UnspecifiedError);
                    return;
                }

                var p = item.Packet;
                if (!item.Duplicate && item.Allowed && outcome.IsAccepted)
                {
                    _broker.RouteFromClient(this, item.Message!);
                }

                var v5 = Version == MqttProtocolVersion.V500;
                var code = v5 ? outcome.ReasonCode : MqttReasonCode.Success;
                var props = v5 && SendReasonStrings && outcome.ReasonString is { } reason ? new MqttProperties { ReasonString = reason } : MqttProperties.Empty;
                if (p.Qos == MqttQos.AtLeastOnce)
                {
                    Send(new MqttPubAckPacket(p.PacketId, code) { Properties = props });
                    Interlocked.Decrement(ref _incomingPending);
                }
                else if (p.Qos == MqttQos.ExactlyOnce)
                {
                    if ((byte)code < 0x80)
                    {
                        _broker.MarkIncomingQos2(this, p.PacketId);
                    }

                    Send(new MqttPubRecPacket(p.PacketId, code) { Properties = props });
                    Interlocked.Decrement(ref _incomingPending);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _transport.Output;
        var reader = _out.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var packet))
                {
                    Interlocked.Decrement(ref _outCount);
                    MqttPacketCodec.Write(packet, Version, output);
                }

                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The peer went away; the read side notices and closes the connection.
        }
        finally
        {
            _cts.Cancel();
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void StartKeepAlive(ushort seconds)
    {
        if (seconds == 0)
        {
            return;
        }

        // OASIS 3.1.2.10: one and a half times the keep-alive without a packet ends the connection.
        _keepAliveLimit = TimeSpan.FromSeconds(seconds * 1.5);
        Touch();
        _keepAliveTimer = _time.CreateTimer(OnKeepAliveTimer, null, _keepAliveLimit, Timeout.InfiniteTimeSpan);
    }

    private void OnKeepAliveTimer(object? state)
    {
        var elapsed = _time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastReceivedTicks);
        var remaining = _keepAliveLimit.Ticks - elapsed;
        if (remaining <= 0)
        {
            Warn($"{Client}: nothing received for {_keepAliveLimit.TotalSeconds:0.#} s (keep-alive); closing");
            Abort(MqttReasonCode.KeepAliveTimeout);
            return;
        }

        try
        {
            _keepAliveTimer?.Change(TimeSpan.FromTicks(remaining), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Touch() => Volatile.Write(ref _lastReceivedTicks, _time.GetUtcNow().UtcTicks);

    private void Log(string message) => _options.Log?.Invoke(message);

    private void Warn(string message) => _broker.Warn(message);
}
