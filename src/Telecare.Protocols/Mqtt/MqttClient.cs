using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// MQTT 3.1.1 / 5.0 client: QoS 0/1/2 both ways, keep-alive, persistent sessions, reconnect with
/// jittered back-off, resubscribe and resend of unacknowledged publishes after a reconnect.
/// Incoming messages are acknowledged only after <see cref="MqttClientOptions.MessageHandler"/> completes.
/// </summary>
public sealed class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly Dictionary<ushort, PendingPublish> _pending = [];
    private readonly Queue<PendingPublish> _unsent = new();
    private readonly Dictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = [];
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly SemaphoreSlim _capacity;
    private readonly CancellationTokenSource _stopping = new();
    private MqttClientConnection? _current;
    private ITimer? _keepAlive;
    private Task? _maintain;
    private string _clientId;
    private ushort _nextId;
    private long _order;
    private int _onWire;
    private int _serverReceiveMaximum = ushort.MaxValue;
    private bool _disposed;

    private sealed class PendingPublish(MqttPublishPacket packet, long order)
    {
        public MqttPublishPacket Packet { get; set; } = packet;
        public long Order { get; } = order;
        public TaskCompletionSource<MqttPublishResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool OnWire { get; set; }
        public bool Released { get; set; }
    }

    public MqttClient(MqttClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _clientId = options.ClientId;
        // Packet ids are 16-bit: keep well below 65,535 pending so an id is always free.
        _capacity = new SemaphoreSlim(Math.Clamp(options.MaxPendingPublishes, 1, 60_000));
    }

    /// <summary>The client id in use (the server-assigned one when the options left it empty on MQTT 5).</summary>
    public string ClientId
    {
        get
        {
            lock (_sync)
            {
                return _clientId;
            }
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _current is { IsClosing: false };
            }
        }
    }

    /// <summary>Raised after every successful CONNACK (first connect and reconnects).</summary>
    public event Action<MqttConnAckPacket>? Connected;

    /// <summary>Raised when a connection is lost or closed.</summary>
    public event Action<Exception?>? Disconnected;

    /// <summary>
    /// Connects once (throws <see cref="MqttConnectionRefusedException"/> or a network error), then keeps
    /// the connection up in the background when <see cref="MqttClientOptions.AutoReconnect"/> is on.
    /// </summary>
    public async Task<MqttConnAckPacket> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_maintain is not null)
        {
            throw new InvalidOperationException("already connected");
        }

        var ack = await EstablishAsync(cancellationToken).ConfigureAwait(false);
        _maintain = MaintainAsync();
        return ack;
    }

    /// <summary>
    /// Publishes; completes on PUBACK (QoS 1), PUBCOMP (QoS 2) or once queued for writing (QoS 0).
    /// QoS 1/2 messages survive a lost connection and are sent again after the reconnect.
    /// </summary>
    public async Task<MqttPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!MqttTopic.IsValidTopicName(message.Topic))
        {
            throw new ArgumentException($"'{message.Topic}' is not a valid topic name", nameof(message));
        }

        var properties = _options.ProtocolVersion == MqttProtocolVersion.V500 ? MqttApplicationMessage.ApplicationProperties(message.Properties) : MqttProperties.Empty;
        if (message.Qos == MqttQos.AtMostOnce)
        {
            lock (_sync)
            {
                if (_current is not { IsClosing: false } connection)
                {
                    throw new InvalidOperationException("not connected; QoS 0 messages are not kept");
                }

                connection.Send(new MqttPublishPacket(message.Topic, message.Payload, MqttQos.AtMostOnce, message.Retain) { Properties = properties });
            }

            return new MqttPublishResult(MqttReasonCode.Success);
        }

        await _capacity.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingPublish pending;
        lock (_sync)
        {
            var id = AllocateIdLocked();
            pending = new PendingPublish(new MqttPublishPacket(message.Topic, message.Payload, message.Qos, message.Retain) { PacketId = id, Properties = properties }, ++_order);
            _pending[id] = pending;
            _unsent.Enqueue(pending);
            PumpLocked();
        }

        return await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<MqttPublishResult> PublishAsync(string topic, string payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default)
        => PublishAsync(new MqttApplicationMessage(topic, Encoding.UTF8.GetBytes(payload), qos, retain), cancellationToken);

    /// <summary>Subscribes now and remembers the subscription so it is made again after a reconnect without session.</summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        foreach (var s in subscriptions)
        {
            if (!MqttTopic.IsValidTopicFilter(s.TopicFilter))
            {
                throw new ArgumentException($"'{s.TopicFilter}' is not a valid topic filter", nameof(subscriptions));
            }
        }

        lock (_sync)
        {
            foreach (var s in subscriptions)
            {
                _subscriptions[s.TopicFilter] = s;
            }
        }

        var answer = await RequestAsync(id => new MqttSubscribePacket(id, subscriptions), cancellationToken).ConfigureAwait(false);
        return ((MqttSubAckPacket)answer).ReasonCodes;
    }

    public Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(string topicFilter, MqttQos qos = MqttQos.AtLeastOnce, CancellationToken cancellationToken = default)
        => SubscribeAsync([new MqttSubscription(topicFilter, qos)], cancellationToken);

    public async Task UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            foreach (var f in topicFilters)
            {
                _subscriptions.Remove(f);
            }
        }

        await RequestAsync(id => new MqttUnsubscribePacket(id, topicFilters), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (no will) and stops reconnecting. Unacknowledged publishes fail.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        _stopping.Cancel();
        MqttClientConnection? connection;
        lock (_sync)
        {
            connection = _current;
        }

        if (connection is not null)
        {
            connection.CloseAfterSending(new MqttDisconnectPacket());
            await connection.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_maintain is not null)
        {
            await _maintain.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException)
        {
        }

        lock (_sync)
        {
            _disposed = true;
            _keepAlive?.Dispose();
            foreach (var p in _pending.Values)
            {
                p.Done.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
            }

            foreach (var r in _requests.Values)
            {
                r.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
            }

            _pending.Clear();
            _unsent.Clear();
            _requests.Clear();
        }

        _stopping.Dispose();
    }

    private async Task<MqttPacket> RequestAsync(Func<ushort, MqttPacket> build, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        ushort id;
        lock (_sync)
        {
            if (_current is not { IsClosing: false } connection)
            {
                throw new InvalidOperationException("not connected");
            }

            id = AllocateIdLocked();
            _requests[id] = done;
            connection.Send(build(id));
        }

        try
        {
            return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                _requests.Remove(id);
            }
        }
    }

    private async Task<MqttConnAckPacket> EstablishAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var (pipe, owner) = await OpenTransportAsync(linked.Token).ConfigureAwait(false);
        var v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        var connection = new MqttClientConnection(this, pipe, owner, _options.ProtocolVersion, _options.Limits, _options.ReceiveMaximum);
        connection.Start(NowTicks());
        string clientId;
        lock (_sync)
        {
            clientId = _clientId;
        }

        connection.Send(new MqttConnectPacket(_options.ProtocolVersion, clientId, _options.CleanStart, _options.KeepAliveSeconds)
        {
            Username = _options.Username,
            Password = _options.Password is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(_options.Password),
            Will = _options.Will,
            Properties = !v5 ? MqttProperties.Empty : new MqttProperties
            {
                SessionExpiryInterval = _options.SessionExpirySeconds == 0 ? null : _options.SessionExpirySeconds,
                ReceiveMaximum = _options.ReceiveMaximum,
                MaximumPacketSize = (uint)_options.Limits.MaxRemainingLength + 5,
            },
        });

        MqttConnAckPacket ack;
        try
        {
            ack = await connection.ConnAck.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch
        {
            connection.CloseAfterSending(null);
            throw;
        }

        if ((byte)ack.ReasonCode != 0)
        {
            connection.CloseAfterSending(null);
            throw new MqttConnectionRefusedException(ack.ReasonCode);
        }

        List<MqttSubscription>? resubscribe = null;
        lock (_sync)
        {
            if (ack.Properties.AssignedClientIdentifier is { } assigned)
            {
                _clientId = assigned;
            }

            _serverReceiveMaximum = ack.Properties.ReceiveMaximum ?? ushort.MaxValue;
            _current = connection;
            _onWire = 0;
            if (!ack.SessionPresent)
            {
                _incomingQos2.Clear();
                if (_subscriptions.Count > 0)
                {
                    resubscribe = [.. _subscriptions.Values];
                }
            }

            // Everything not fully acknowledged goes again, in the original order.
            _unsent.Clear();
            foreach (var p in _pending.Values.OrderBy(p => p.Order))
            {
                p.OnWire = false;
                if (p.Released)
                {
                    if (ack.SessionPresent)
                    {
                        p.OnWire = true;
                        _onWire++;
                        connection.Send(new MqttPubRelPacket(p.Packet.PacketId));
                    }
                    else
                    {
                        // The server has the message (it sent PUBREC); without a session it cannot take PUBREL.
                        CompleteLocked(p, new MqttPublishResult(MqttReasonCode.Success));
                    }

                    continue;
                }

                _unsent.Enqueue(p);
            }

            if (resubscribe is not null)
            {
                var id = AllocateIdLocked();
                var done = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
                _requests[id] = done;
                connection.Send(new MqttSubscribePacket(id, resubscribe));
                _ = done.Task.ContinueWith(t => { lock (_sync) { _requests.Remove(id); } }, TaskScheduler.Default);
            }

            PumpLocked();
            StartKeepAliveLocked(ack.Properties.ServerKeepAlive ?? _options.KeepAliveSeconds);
        }

        Log($"MQTT client {ClientId}: connected to {_options.Host}:{_options.Port} (session present: {ack.SessionPresent})");
        try
        {
            Connected?.Invoke(ack);
        }
        catch (Exception e)
        {
            Log($"MQTT client {ClientId}: Connected handler failed: {e.Message}");
        }

        return ack;
    }

    private async Task<(IDuplexPipe Pipe, IAsyncDisposable? Owner)> OpenTransportAsync(CancellationToken cancellationToken)
    {
        if (_options.TransportFactory is { } factory)
        {
            return (await factory(cancellationToken).ConfigureAwait(false), null);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                var tlsOptions = _options.TlsOptions ?? new SslClientAuthenticationOptions();
                tlsOptions.TargetHost ??= _options.Host;
                await tls.AuthenticateAsClientAsync(tlsOptions, cancellationToken).ConfigureAwait(false);
                stream = tls;
            }

            return (new MqttStreamPipe(stream), stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task MaintainAsync()
    {
        while (true)
        {
            MqttClientConnection? connection;
            lock (_sync)
            {
                connection = _current;
            }

            if (connection is not null)
            {
                try
                {
                    await connection.Completion.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Log($"MQTT client {ClientId}: connection ended with {e.GetType().Name}: {e.Message}");
                }
            }

            if (_stopping.IsCancellationRequested || !_options.AutoReconnect)
            {
                return;
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await Task.Delay(Backoff(attempt), _time, _stopping.Token).ConfigureAwait(false);
                    await EstablishAsync(_stopping.Token).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Log($"MQTT client {ClientId}: reconnect attempt {attempt + 1} failed: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }

    /// <summary>Exponential back-off with jitter, so a fleet does not reconnect in lock-step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var min = _options.ReconnectMinDelay.TotalMilliseconds;
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, min * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private void StartKeepAliveLocked(ushort seconds)
    {
        _keepAlive?.Dispose();
        _keepAlive = null;
        if (seconds == 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(seconds);
        _keepAlive = _time.CreateTimer(_ => KeepAliveTick(interval), null, interval, interval);
    }

    private void KeepAliveTick(TimeSpan interval)
    {
        MqttClientConnection? connection;
        lock (_sync)
        {
            connection = _current;
        }

        if (connection is null || connection.IsClosing)
        {
            return;
        }

        // No packet from the server for 1.5 keep-alive intervals: the link is dead even if TCP has not noticed.
        if (NowTicks() - connection.LastReceivedTicks > interval.Ticks * 3 / 2)
        {
            Log($"MQTT client {ClientId}: no answer from the server; reconnecting");
            connection.CloseAfterSending(null);
            return;
        }

        connection.Send(MqttPingReqPacket.Instance);
    }

    private void PumpLocked()
    {
        if (_current is not { IsClosing: false } connection)
        {
            return;
        }

        var limit = Math.Min(_options.MaxInflight, _serverReceiveMaximum);
        while (_onWire < limit && _unsent.TryDequeue(out var p))
        {
            if (p.Done.Task.IsCompleted)
            {
                continue;
            }

            p.OnWire = true;
            _onWire++;
            connection.Send(p.Packet);

            // Any later send of this packet is a retransmission.
            p.Packet = p.Packet with { Dup = true };
        }
    }

    private void CompleteLocked(PendingPublish p, MqttPublishResult result)
    {
        _pending.Remove(p.Packet.PacketId);
        if (p.OnWire)
        {
            _onWire--;
        }

        if (p.Done.TrySetResult(result))
        {
            _capacity.Release();
        }
    }

    private ushort AllocateIdLocked()
    {
        do
        {
            _nextId = _nextId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextId + 1);
        }
        while (_pending.ContainsKey(_nextId) || _requests.ContainsKey(_nextId));

        return _nextId;
    }

    internal void OnPublishResponse(MqttClientConnection connection, MqttPublishResponsePacket response)
    {
        lock (_sync)
        {
            if (!_pending.TryGetValue(response.PacketId, out var p))
            {
                if (response is MqttPubRecPacket)
                {
                    connection.Send(new MqttPubRelPacket(response.PacketId, connection.Version == MqttProtocolVersion.V500 ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.Success));
                }

                return;
            }

            var result = new MqttPublishResult(response.ReasonCode, response.Properties.ReasonString);
            switch (response)
            {
                case MqttPubAckPacket when p.Packet.Qos == MqttQos.AtLeastOnce:
                    CompleteLocked(p, result);
                    break;
                case MqttPubRecPacket when p.Packet.Qos == MqttQos.ExactlyOnce:
                    if (!result.IsSuccess)
                    {
                        CompleteLocked(p, result);
                        break;
                    }

                    p.Released = true;
                    connection.Send(new MqttPubRelPacket(p.Packet.PacketId));
                    break;
                case MqttPubCompPacket when p.Released:
                    CompleteLocked(p, result);
                    break;
            }

            PumpLocked();
        }
    }

    internal void OnRequestAnswered(MqttPacket answer)
    {
        var id = answer switch
        {
            MqttSubAckPacket s => s.PacketId,
            MqttUnsubAckPacket u => u.PacketId,
            _ => (ushort)0,
        };
        TaskCompletionSource<MqttPacket>? done;
        lock (_sync)
        {
            _requests.TryGetValue(id, out done);
        }

        done?.TrySetResult(answer);
    }

    internal ValueTask<MqttPublishOutcome> Deliver(MqttApplicationMessage message, CancellationToken cancellationToken) =>
        _options.MessageHandler is { } handler ? handler(message, cancellationToken) : new(MqttPublishOutcome.Success);

    internal bool IsIncomingQos2Known(ushort id)
    {
        lock (_sync)
        {
            return _incomingQos2.Contains(id);
        }
    }

    internal void RememberIncomingQos2(ushort id)
    {
        lock (_sync)
        {
            _incomingQos2.Add(id);
        }
    }

    internal void ForgetIncomingQos2(ushort id)
    {
        lock (_sync)
        {
            _incomingQos2.Remove(id);
        }
    }

    internal void OnConnectionClosed(MqttClientConnection connection, Exception? failure)
    {
        lock (_sync)
        {
            if (_current != connection)
            {
                return;
            }

            _current = null;
            _keepAlive?.Dispose();
            _keepAlive = null;
            foreach (var r in _requests.Values)
            {
                r.TrySetException(new IOException("the connection closed before the server answered"));
            }

            if (_stopping.IsCancellationRequested || !_options.AutoReconnect)
            {
                foreach (var p in _pending.Values.ToList())
                {
                    p.Done.TrySetException(new IOException("the client disconnected before the message was acknowledged"));
                    _capacity.Release();
                }

                _pending.Clear();
                _unsent.Clear();
            }
        }

        Log($"MQTT client {ClientId}: connection closed{(failure is null ? "" : $": {failure.Message}")}");
        try
        {
            Disconnected?.Invoke(failure);
        }
        catch (Exception e)
        {
            Log($"MQTT client {ClientId}: Disconnected handler failed: {e.Message}");
        }
    }

    internal long NowTicks() => _time.GetUtcNow().UtcTicks;

    internal void Log(string message) => _options.Log?.Invoke(message);
}
