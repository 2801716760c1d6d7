using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// An embedded MQTT 3.1.1 / 5.0 broker. Every message a client publishes is handed to
/// <see cref="IMqttBrokerHandler.OnPublishAsync"/> and acknowledged only after that completes.
/// Session state lives in memory (persistent sessions survive reconnects, not a process restart).
/// </summary>
public sealed class MqttBroker : IAsyncDisposable
{
    private readonly MqttBrokerOptions _options;
    private readonly IMqttBrokerHandler _handler;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, MqttBrokerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<MqttBrokerSession>> _exact = new(StringComparer.Ordinal);
    private readonly HashSet<MqttBrokerSession> _wildcardSessions = [];
    private readonly Dictionary<string, MqttSharedGroup> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MqttQueuedMessage> _retained = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MqttBrokerConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private int _connectionCount;
    private int _pendingCount;
    private bool _disposed;

    public MqttBroker(MqttBrokerOptions options, IMqttBrokerHandler handler, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The bound endpoint after <see cref="StartAsync"/> (the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Where TLS is served after <see cref="StartAsync"/>: the second listener, or <see cref="LocalEndPoint"/> when that speaks TLS; else null.</summary>
    public IPEndPoint? TlsLocalEndPoint { get; private set; }

    /// <summary>Connections that completed CONNECT and are open.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public int SessionCount
    {
        get
        {
            lock (_sync)
            {
                return _sessions.Count;
            }
        }
    }

    internal IMqttBrokerHandler Handler => _handler;

    /// <summary>Binds the listener(s) and starts accepting connections.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_listeners.Count > 0)
        {
            throw new InvalidOperationException("the broker is already started");
        }

        // Built once: the chain is resolved here, not on every handshake.
        var tls = _options.Certificate is { } certificate
            ? SslStreamCertificateContext.Create(certificate, _options.CertificateChain, offline: true)
            : null;
        try
        {
            if (_options.TlsEndpoint is { } tlsEndpoint)
            {
                LocalEndPoint = Listen(_options.Endpoint, null);
                TlsLocalEndPoint = Listen(tlsEndpoint, tls);
            }
            else
            {
                LocalEndPoint = Listen(_options.Endpoint, tls);
                TlsLocalEndPoint = tls is null ? null : LocalEndPoint;
            }
        }
        catch
        {
            // A second listener that cannot bind must not leave the first one open.
            foreach (var listener in _listeners)
            {
                listener.Dispose();
            }

            _listeners.Clear();
            throw;
        }

        return Task.CompletedTask;
    }

    private IPEndPoint Listen(IPEndPoint endpoint, SslStreamCertificateContext? tls)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        _listeners.Add(socket);
        socket.Bind(endpoint);
        socket.Listen(512);
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoops.Add(AcceptLoopAsync(socket, tls));
        Log($"MQTT broker listening on {bound}{(tls is null ? "" : " (TLS)")}");
        return bound;
    }

    /// <summary>Connections that have not finished CONNECT yet.</summary>
    public int PendingConnectionCount => Volatile.Read(ref _pendingCount);

    /// <summary>Serves one already-open connection (a socket, TLS stream or in-memory pipe) until it ends.</summary>
    public Task HandleConnectionAsync(IDuplexPipe transport, EndPoint? remoteEndPoint = null) =>
        HandleConnectionAsync(transport, remoteEndPoint, connectPhaseEnded: null);

    private async Task HandleConnectionAsync(IDuplexPipe transport, EndPoint? remoteEndPoint, Action? connectPhaseEnded)
    {
        var connection = new MqttBrokerConnection(this, transport, remoteEndPoint, _options, _time) { ConnectPhaseEnded = connectPhaseEnded };
        var run = connection.RunAsync();
        _connections[connection] = run;
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Publishes from the host to subscribed clients (for example an ack or config to a device).</summary>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default)
        => PublishAsync(new MqttApplicationMessage(topic, payload, qos, retain), cancellationToken);

    /// <summary>Routes a message to the matching sessions (queued for offline persistent ones) and stores it when retained.</summary>
    public ValueTask PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!MqttTopic.IsValidTopicName(message.Topic))
        {
            throw new ArgumentException($"'{message.Topic}' is not a valid topic name", nameof(message));
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RouteLocked(message, senderClientId: null);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes a client's connection (for example a retired device); MQTT 5 clients are told the reason.
    /// Its will is published as for any server-side close. False when the client is not connected.
    /// </summary>
    public bool DisconnectClient(string clientId, MqttReasonCode reason = MqttReasonCode.AdministrativeAction)
    {
        MqttBrokerConnection? connection;
        lock (_sync)
        {
            connection = _sessions.TryGetValue(clientId, out var session) ? session.Connection : null;
        }

        connection?.Abort(reason);
        return connection is not null;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopping.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);

        foreach (var connection in _connections.Keys)
        {
            connection.Abort(MqttReasonCode.ServerShuttingDown);
        }

        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            Log("MQTT broker: some connections did not close in time");
        }

        lock (_sync)
        {
            foreach (var session in _sessions.Values)
            {
                session.ExpiryTimer?.Dispose();
                session.WillTimer?.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, SslStreamCertificateContext? tls)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log($"MQTT accept failed: {e.SocketErrorCode}");
                continue;
            }

            _ = ServeSocketAsync(socket, tls);
        }
    }

    private async Task ServeSocketAsync(Socket socket, SslStreamCertificateContext? certificate)
    {
        var remote = socket.RemoteEndPoint;
        if (Interlocked.Increment(ref _pendingCount) > _options.MaxPendingConnections)
        {
            Interlocked.Decrement(ref _pendingCount);
            Warn($"MQTT: closing a connection from {remote} at once: {_options.MaxPendingConnections} connections are already waiting to CONNECT");
            socket.Dispose();
            return;
        }

        var pending = 1;
        void ConnectPhaseEnded()
        {
            if (Interlocked.Exchange(ref pending, 0) == 1)
            {
                Interlocked.Decrement(ref _pendingCount);
            }
        }

        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = certificate }, linked.Token).ConfigureAwait(false);
            }

            await HandleConnectionAsync(new MqttStreamPipe(stream), remote, ConnectPhaseEnded).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log($"MQTT connection from {remote} ended: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            ConnectPhaseEnded();
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal async ValueTask<bool> AcceptConnectAsync(MqttBrokerConnection connection, MqttConnectPacket connect, CancellationToken cancellationToken)
    {
        var version = connect.ProtocolVersion;
        var v5 = version == MqttProtocolVersion.V500;
        var clientId = connect.ClientId;
        var assigned = false;
        if (clientId.Length == 0)
        {
            if (!v5 && !connect.CleanStart)
            {
                Refuse(connection, version, MqttReasonCode.ClientIdentifierNotValid);
                return false;
            }

            clientId = "auto-" + Guid.NewGuid().ToString("N");
            assigned = true;
        }

        connection.Counted = true;
        if (Interlocked.Increment(ref _connectionCount) > _options.MaxConnections)
        {
            Warn($"MQTT: refusing {clientId} from {connection.RemoteEndPoint}: {_options.MaxConnections} connections already (the limit)");
            Refuse(connection, version, MqttReasonCode.ServerBusy);
            return false;
        }

        if (v5 && connect.Properties.AuthenticationMethod is not null)
        {
            Refuse(connection, version, MqttReasonCode.BadAuthenticationMethod);
            return false;
        }

        MqttConnectResult result;
        if (_options.ConformanceMode)
        {
            result = MqttConnectResult.Accept();
        }
        else
        {
            try
            {
                var request = new MqttConnectRequest(clientId, connect.Username, connect.Password, version, connect.CleanStart, connection.RemoteEndPoint)
                {
                    UserProperties = connect.Properties.UserProperties,
                };
                result = await _handler.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log($"MQTT: authentication of {clientId} failed: {e.GetType().Name}: {e.Message}");
                result = MqttConnectResult.Refuse(MqttReasonCode.ServerUnavailable);
            }
        }

        if (!result.IsAccepted)
        {
            Log($"MQTT: refused {clientId} from {connection.RemoteEndPoint}: {result.ReasonCode}");
            Refuse(connection, version, result.ReasonCode);
            return false;
        }

        var client = new MqttBrokerClient(clientId, connect.Username, version, connection.RemoteEndPoint, result.State, _time.GetUtcNow());
        connection.Client = client;
        connection.Will = connect.Will;
        connection.SendReasonStrings = connect.Properties.RequestProblemInformation != 0;
        connection.KeepAliveSeconds = KeepAliveFor(connect.KeepAliveSeconds);
        var clientReceiveMaximum = v5 ? connect.Properties.ReceiveMaximum ?? ushort.MaxValue : ushort.MaxValue;
        connection.OutgoingMaximum = Math.Max((ushort)1, Math.Min(_options.MaxOutgoingInflight, clientReceiveMaximum));
        connection.ClientMaximumPacketSize = v5 ? connect.Properties.MaximumPacketSize ?? uint.MaxValue : uint.MaxValue;
        var requestedExpiry = v5 ? connect.Properties.SessionExpiryInterval ?? 0 : connect.CleanStart ? 0 : uint.MaxValue;
        var expiry = Math.Min(requestedExpiry, _options.MaxSessionExpirySeconds);

        lock (_sync)
        {
            if (_disposed)
            {
                return false;
            }

            _sessions.TryGetValue(clientId, out var existing);
            if (existing is not null)
            {
                if (existing.Connection is { } old)
                {
                    // OASIS 3.1.4: a second connection with the same client id takes the session over.
                    Log($"MQTT: {clientId} taken over by a new connection");
                    old.TakenOverKeepingSession = !connect.CleanStart;
                    existing.Connection = null;
                    old.Abort(MqttReasonCode.SessionTakenOver);
                }

                existing.ExpiryTimer?.Dispose();
                existing.ExpiryTimer = null;
                existing.WillTimer?.Dispose();
                existing.WillTimer = null;
                existing.DelayedWill = null;
            }

            MqttBrokerSession session;
            var present = false;
            if (existing is null || connect.CleanStart)
            {
                if (existing is not null)
                {
                    RemoveSessionLocked(existing);
                }

                session = new MqttBrokerSession(clientId);
                _sessions[clientId] = session;
            }
            else
            {
                session = existing;
                present = true;
            }

            session.Connection = connection;
            session.ExpirySeconds = expiry;
            connection.Session = session;
            var properties = !v5 ? MqttProperties.Empty : new MqttProperties
            {
                ReceiveMaximum = _options.ReceiveMaximum,
                TopicAliasMaximum = _options.TopicAliasMaximum,
                MaximumPacketSize = (uint)_options.MaxPacketSize,
                RetainAvailable = 1,
                WildcardSubscriptionAvailable = 1,
                SubscriptionIdentifierAvailable = 1,
                SharedSubscriptionAvailable = 1,
                AssignedClientIdentifier = assigned ? clientId : null,
                SessionExpiryInterval = requestedExpiry != expiry ? expiry : null,
                ServerKeepAlive = connection.KeepAliveSeconds != connect.KeepAliveSeconds ? connection.KeepAliveSeconds : null,
            };
            connection.Send(new MqttConnAckPacket(present, MqttReasonCode.Success) { Properties = properties });
            foreach (var inflight in session.Inflight.Values.OrderBy(m => m.Order))
            {
                connection.Send(inflight.Released ? new MqttPubRelPacket(inflight.Packet.PacketId) : inflight.Packet with { Dup = true });
            }

            PumpLocked(session);
        }

        try
        {
            _handler.OnClientConnected(client);
        }
        catch (Exception e)
        {
            Log($"MQTT: OnClientConnected failed: {e.Message}");
        }

        return true;
    }

    /// <summary>The keep-alive the connection is held to: the client's, unless it is none or longer than the cap.</summary>
    private ushort KeepAliveFor(ushort requested)
    {
        var cap = (ushort)_options.MaxKeepAlive.TotalSeconds;
        return cap > 0 && (requested == 0 || requested > cap) ? cap : requested;
    }

    private static void Refuse(MqttBrokerConnection connection, MqttProtocolVersion version, MqttReasonCode code)
    {
        var wire = version == MqttProtocolVersion.V500 ? code : (MqttReasonCode)(code switch
        {
            MqttReasonCode.UnsupportedProtocolVersion => 1,
            MqttReasonCode.ClientIdentifierNotValid => 2,
            MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy or MqttReasonCode.ServerShuttingDown => 3,
            MqttReasonCode.BadUserNameOrPassword => 4,
            _ => 5,
        });
        connection.CloseAfterSending(new MqttConnAckPacket(false, wire));
    }

    internal void OnConnectionClosed(MqttBrokerConnection connection)
    {
        if (connection.Counted)
        {
            Interlocked.Decrement(ref _connectionCount);
        }

        var client = connection.Client;
        if (client is null)
        {
            return;
        }

        MqttApplicationMessage? willNow = null;
        lock (_sync)
        {
            var session = connection.Session;
            var detached = false;
            if (session is not null && session.Connection == connection)
            {
                session.Connection = null;
                detached = true;
                if (session.ExpirySeconds == 0 || _disposed)
                {
                    RemoveSessionLocked(session);
                }
                else
                {
                    session.ExpiryTimer = _time.CreateTimer(_ => ExpireSession(session), null, TimeSpan.FromSeconds(session.ExpirySeconds), Timeout.InfiniteTimeSpan);
                }
            }

            if (connection.Will is { } will && !connection.CleanDisconnect && !_disposed)
            {
                var message = WillMessage(will);
                var delay = will.Properties.WillDelayInterval ?? 0;
                if (delay > 0 && connection.TakenOverKeepingSession)
                {
                    // OASIS 2019 3.1.3.2.2: the session carries on, so a delayed will is not sent.
                }
                else if (delay > 0 && detached && session is { Removed: false })
                {
                    session.DelayedWill = (client, message);
                    var wait = TimeSpan.FromSeconds(Math.Min(delay, session.ExpirySeconds));
                    session.WillTimer = _time.CreateTimer(_ => FireDelayedWill(session), null, wait, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    willNow = message;
                }
            }
        }

        if (willNow is not null)
        {
            _ = PublishWillAsync(client, willNow);
        }

        try
        {
            _handler.OnClientDisconnected(client, connection.CleanDisconnect);
        }
        catch (Exception e)
        {
            Log($"MQTT: OnClientDisconnected failed: {e.Message}");
        }
    }

    private static MqttApplicationMessage WillMessage(MqttWill will) => new(will.Topic, will.Payload, will.Qos, will.Retain)
    {
        Properties = will.Properties.WillDelayInterval is null ? will.Properties : will.Properties with { WillDelayInterval = null },
    };

    private void ExpireSession(MqttBrokerSession session)
    {
        (MqttBrokerClient Client, MqttApplicationMessage Will)? will = null;
        lock (_sync)
        {
            if (session.Connection is not null || session.Removed)
            {
                return;
            }

            will = session.DelayedWill;
            RemoveSessionLocked(session);
        }

        if (will is { } w)
        {
            _ = PublishWillAsync(w.Client, w.Will);
        }
    }

    private void FireDelayedWill(MqttBrokerSession session)
    {
        (MqttBrokerClient Client, MqttApplicationMessage Will)? will;
        lock (_sync)
        {
            will = session.DelayedWill;
            session.DelayedWill = null;
            session.WillTimer?.Dispose();
            session.WillTimer = null;
            if (session.Connection is not null)
            {
                return;
            }
        }

        if (will is { } w)
        {
            _ = PublishWillAsync(w.Client, w.Will);
        }
    }

    /// <summary>A will goes through the same handler as any published message, then to subscribers.</summary>
    private async Task PublishWillAsync(MqttBrokerClient client, MqttApplicationMessage will)
    {
        try
        {
            if (!CanPublish(client, will.Topic))
            {
                Log($"MQTT: will of {client.ClientId} not allowed on {will.Topic}");
                return;
            }

            var outcome = await _handler.OnPublishAsync(client, will, _stopping.Token).ConfigureAwait(false);
            if (!outcome.IsAccepted)
            {
                return;
            }

            lock (_sync)
            {
                if (!_disposed)
                {
                    RouteLocked(will, client.ClientId);
                }
            }
        }
        catch (Exception e)
        {
            Log($"MQTT: will of {client.ClientId} not published: {e.GetType().Name}: {e.Message}");
        }
    }

    internal bool CanPublish(MqttBrokerClient client, string topic)
    {
        if (_options.ConformanceMode)
        {
            return true;
        }

        try
        {
            return _handler.CanPublish(client, topic);
        }
        catch (Exception e)
        {
            Log($"MQTT: CanPublish failed: {e.Message}");
            return false;
        }
    }

    private bool CanSubscribe(MqttBrokerClient client, string filter)
    {
        if (_options.ConformanceMode)
        {
            return true;
        }

        try
        {
            return _handler.CanSubscribe(client, filter);
        }
        catch (Exception e)
        {
            Log($"MQTT: CanSubscribe failed: {e.Message}");
            return false;
        }
    }

    internal void UpdateSessionExpiry(MqttBrokerConnection connection, uint expiry)
    {
        lock (_sync)
        {
            if (connection.Session is { } session && session.Connection == connection)
            {
                session.ExpirySeconds = Math.Min(expiry, _options.MaxSessionExpirySeconds);
            }
        }
    }

    internal void RouteFromClient(MqttBrokerConnection connection, MqttApplicationMessage message)
    {
        lock (_sync)
        {
            if (!_disposed)
            {
                RouteLocked(message, connection.Client?.ClientId);
            }
        }
    }

    private void RouteLocked(MqttApplicationMessage message, string? senderClientId)
    {
        var topic = message.Topic;
        DateTimeOffset? expiresAt = message.Properties.MessageExpiryInterval is { } seconds ? _time.GetUtcNow().AddSeconds(seconds) : null;
        if (message.Retain)
        {
            if (message.Payload.IsEmpty)
            {
                _retained.Remove(topic);
            }
            else
            {
                _retained[topic] = new MqttQueuedMessage(message, message.Qos, true, expiresAt, []);
            }
        }

        _exact.TryGetValue(topic, out var exact);
        if (exact is not null)
        {
            foreach (var session in exact)
            {
                DeliverLocked(session, message, senderClientId, expiresAt);
            }
        }

        foreach (var session in _wildcardSessions)
        {
            if (exact is null || !exact.Contains(session))
            {
                DeliverLocked(session, message, senderClientId, expiresAt);
            }
        }

        foreach (var group in _shared.Values)
        {
            if (MqttTopic.Matches(group.Filter, topic))
            {
                var (session, subscription) = group.Pick();
                var ids = subscription.SubscriptionId is { } id ? new[] { id } : [];
                EnqueueLocked(session, new MqttQueuedMessage(message, Min(message.Qos, subscription.Qos), subscription.RetainAsPublished && message.Retain, expiresAt, ids));
            }
        }
    }

    /// <summary>One copy per session, at the highest QoS of its matching subscriptions (OASIS 2019 3.3.4).</summary>
    private void DeliverLocked(MqttBrokerSession session, MqttApplicationMessage message, string? senderClientId, DateTimeOffset? expiresAt)
    {
        MqttQos? best = null;
        List<uint>? ids = null;
        var retainAsPublished = false;
        foreach (var subscription in session.Subscriptions.Values)
        {
            if (subscription.ShareGroup is not null || !MqttTopic.Matches(subscription.MatchFilter, message.Topic))
            {
                continue;
            }

            if (subscription.NoLocal && senderClientId == session.ClientId)
            {
                continue;
            }

            best = best is null ? subscription.Qos : Max(best.Value, subscription.Qos);
            retainAsPublished |= subscription.RetainAsPublished;
            if (subscription.SubscriptionId is { } id)
            {
                (ids ??= []).Add(id);
            }
        }

        if (best is { } qos)
        {
            EnqueueLocked(session, new MqttQueuedMessage(message, Min(message.Qos, qos), retainAsPublished && message.Retain, expiresAt, (IReadOnlyList<uint>?)ids ?? []));
        }
    }

    private void EnqueueLocked(MqttBrokerSession session, MqttQueuedMessage queued)
    {
        if (session.Connection is null && queued.Qos == MqttQos.AtMostOnce)
        {
            return;
        }

        if (session.Pending.Count >= _options.MaxQueuedMessagesPerSession)
        {
            session.Dropped++;
            if (session.Dropped == 1 || session.Dropped % 1000 == 0)
            {
                Log($"MQTT: queue of {session.ClientId} is full; {session.Dropped} messages dropped");
            }

            return;
        }

        session.Pending.Enqueue(queued);
        PumpLocked(session);
    }

    /// <summary>Sends queued messages while the client's receive maximum allows.</summary>
    private void PumpLocked(MqttBrokerSession session)
    {
        var connection = session.Connection;
        if (connection is null)
        {
            return;
        }

        var v5 = connection.Version == MqttProtocolVersion.V500;
        while (session.Pending.TryPeek(out var queued))
        {
            if (queued.Qos != MqttQos.AtMostOnce && session.Inflight.Count >= connection.OutgoingMaximum)
            {
                break;
            }

            session.Pending.Dequeue();
            var message = queued.Message;
            var properties = v5 ? message.Properties : MqttProperties.Empty;
            if (queued.ExpiresAt is { } expiresAt)
            {
                var left = expiresAt - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    continue;
                }

                if (v5)
                {
                    properties = properties with { MessageExpiryInterval = (uint)Math.Ceiling(left.TotalSeconds) };
                }
            }

            if (v5 && queued.SubscriptionIds.Count > 0)
            {
                properties = properties with { SubscriptionIdentifiers = queued.SubscriptionIds };
            }

            var packet = new MqttPublishPacket(message.Topic, message.Payload, queued.Qos, queued.Retain)
            {
                PacketId = queued.Qos == MqttQos.AtMostOnce ? (ushort)0 : session.AllocatePacketId(),
                Properties = properties,
            };
            if (connection.ClientMaximumPacketSize != uint.MaxValue && MqttPacketCodec.MeasureSize(packet, connection.Version) > connection.ClientMaximumPacketSize)
            {
                // OASIS 2019 3.1.2.24: a message too large for the client is discarded for it.
                session.Dropped++;
                continue;
            }

            if (queued.Qos == MqttQos.AtMostOnce)
            {
                if (!connection.TrySendDroppable(packet))
                {
                    session.Dropped++;
                }
            }
            else
            {
                session.Inflight[packet.PacketId] = new MqttInflightMessage(packet, session.NextOrder());
                connection.Send(packet);
            }
        }
    }

    internal void OnPubAck(MqttBrokerConnection connection, ushort packetId)
    {
        lock (_sync)
        {
            if (connection.Session is { } session && session.Inflight.TryGetValue(packetId, out var m) && m.Packet.Qos == MqttQos.AtLeastOnce)
            {
                session.Inflight.Remove(packetId);
                PumpLocked(session);
            }
        }
    }

    internal void OnPubRec(MqttBrokerConnection connection, MqttPubRecPacket pubRec)
    {
        lock (_sync)
        {
            var session = connection.Session;
            if (session is not null && session.Inflight.TryGetValue(pubRec.PacketId, out var m) && m.Packet.Qos == MqttQos.ExactlyOnce)
            {
                if ((byte)pubRec.ReasonCode >= 0x80)
                {
                    session.Inflight.Remove(pubRec.PacketId);
                    PumpLocked(session);
                    return;
                }

                m.Released = true;
                connection.Send(new MqttPubRelPacket(pubRec.PacketId));
                return;
            }

            var v5 = connection.Version == MqttProtocolVersion.V500;
            connection.Send(new MqttPubRelPacket(pubRec.PacketId, v5 ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.Success));
        }
    }

    internal void OnPubComp(MqttBrokerConnection connection, ushort packetId)
    {
        lock (_sync)
        {
            if (connection.Session is { } session && session.Inflight.TryGetValue(packetId, out var m) && m.Released)
            {
                session.Inflight.Remove(packetId);
                PumpLocked(session);
            }
        }
    }

    internal void OnPubRel(MqttBrokerConnection connection, ushort packetId)
    {
        bool known;
        lock (_sync)
        {
            known = connection.Session?.IncomingQos2.Remove(packetId) ?? false;
        }

        var v5 = connection.Version == MqttProtocolVersion.V500;
        connection.Send(new MqttPubCompPacket(packetId, known || !v5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound));
    }

    internal bool IsIncomingQos2Known(MqttBrokerConnection connection, ushort packetId)
    {
        lock (_sync)
        {
            return connection.Session?.IncomingQos2.Contains(packetId) ?? false;
        }
    }

    internal void MarkIncomingQos2(MqttBrokerConnection connection, ushort packetId)
    {
        lock (_sync)
        {
            connection.Session?.IncomingQos2.Add(packetId);
        }
    }

    internal void Subscribe(MqttBrokerConnection connection, MqttSubscribePacket packet)
    {
        var client = connection.Client!;
        var allowed = packet.Subscriptions.Select(s => CanSubscribe(client, s.TopicFilter)).ToArray();
        var v5 = connection.Version == MqttProtocolVersion.V500;
        uint? subscriptionId = packet.Properties.SubscriptionIdentifiers.Count > 0 ? packet.Properties.SubscriptionIdentifiers[0] : null;
        var codes = new List<MqttReasonCode>(packet.Subscriptions.Count);
        lock (_sync)
        {
            var session = connection.Session;
            if (session is null || session.Removed)
            {
                return;
            }

            var sendRetained = new List<MqttBrokerSubscription>();
            for (var i = 0; i < packet.Subscriptions.Count; i++)
            {
                var requested = packet.Subscriptions[i];
                if (!allowed[i])
                {
                    codes.Add(v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.UnspecifiedError);
                    continue;
                }

                string? group = null;
                var match = requested.TopicFilter;
                if (MqttTopic.TrySplitShared(requested.TopicFilter, out var g, out var inner))
                {
                    group = g;
                    match = inner;
                }

                var entry = new MqttBrokerSubscription(requested.TopicFilter, match, group, requested.Qos, requested.NoLocal, requested.RetainAsPublished, requested.RetainHandling, subscriptionId);
                var existed = session.Subscriptions.TryGetValue(requested.TopicFilter, out var previous);
                session.Subscriptions[requested.TopicFilter] = entry;
                if (previous is not null)
                {
                    RemoveFromIndexLocked(session, previous);
                }

                AddToIndexLocked(session, entry);
                codes.Add((MqttReasonCode)(byte)requested.Qos);
                if (group is null && (requested.RetainHandling == MqttRetainHandling.SendAtSubscribe || (requested.RetainHandling == MqttRetainHandling.SendAtSubscribeIfNew && !existed)))
                {
                    sendRetained.Add(entry);
                }
            }

            connection.Send(new MqttSubAckPacket(packet.PacketId, codes));
            var now = _time.GetUtcNow();
            foreach (var entry in sendRetained)
            {
                foreach (var retained in _retained.Values)
                {
                    if (retained.ExpiresAt is { } e && e <= now)
                    {
                        continue;
                    }

                    if (MqttTopic.Matches(entry.MatchFilter, retained.Message.Topic))
                    {
                        var ids = entry.SubscriptionId is { } id ? new[] { id } : [];
                        EnqueueLocked(session, retained with { Qos = Min(retained.Message.Qos, entry.Qos), SubscriptionIds = ids });
                    }
                }
            }
        }
    }

    internal void Unsubscribe(MqttBrokerConnection connection, MqttUnsubscribePacket packet)
    {
        var codes = new List<MqttReasonCode>(packet.TopicFilters.Count);
        lock (_sync)
        {
            var session = connection.Session;
            if (session is null)
            {
                return;
            }

            foreach (var filter in packet.TopicFilters)
            {
                if (session.Subscriptions.Remove(filter, out var old))
                {
                    RemoveFromIndexLocked(session, old);
                    codes.Add(MqttReasonCode.Success);
                }
                else
                {
                    codes.Add(MqttReasonCode.NoSubscriptionExisted);
                }
            }
        }

        connection.Send(new MqttUnsubAckPacket(packet.PacketId, connection.Version == MqttProtocolVersion.V500 ? codes : []));
    }

    private void AddToIndexLocked(MqttBrokerSession session, MqttBrokerSubscription entry)
    {
        if (entry.ShareGroup is { } group)
        {
            var key = group + "\u0000" + entry.MatchFilter;
            if (!_shared.TryGetValue(key, out var shared))
            {
                _shared[key] = shared = new MqttSharedGroup(group, entry.MatchFilter);
            }

            shared.Members.Add((session, entry));
        }
        else if (MqttTopic.HasWildcard(entry.MatchFilter))
        {
            _wildcardSessions.Add(session);
        }
        else
        {
            if (!_exact.TryGetValue(entry.MatchFilter, out var set))
            {
                _exact[entry.MatchFilter] = set = [];
            }

            set.Add(session);
        }
    }

    private void RemoveFromIndexLocked(MqttBrokerSession session, MqttBrokerSubscription entry)
    {
        if (entry.ShareGroup is { } group)
        {
            var key = group + "\u0000" + entry.MatchFilter;
            if (_shared.TryGetValue(key, out var shared))
            {
                shared.Members.RemoveAll(m => m.Session == session);
                if (shared.Members.Count == 0)
                {
                    _shared.Remove(key);
                }
            }
        }
        else if (MqttTopic.HasWildcard(entry.MatchFilter))
        {
            if (!session.Subscriptions.Values.Any(s => s.ShareGroup is null && MqttTopic.HasWildcard(s.MatchFilter)))
            {
                _wildcardSessions.Remove(session);
            }
        }
        else if (_exact.TryGetValue(entry.MatchFilter, out var set)
            && !(session.Subscriptions.TryGetValue(entry.Filter, out var current) && current.ShareGroup is null))
        {
            set.Remove(session);
            if (set.Count == 0)
            {
                _exact.Remove(entry.MatchFilter);
            }
        }
    }

    private void RemoveSessionLocked(MqttBrokerSession session)
    {
        session.Removed = true;
        session.ExpiryTimer?.Dispose();
        session.ExpiryTimer = null;
        if (_sessions.TryGetValue(session.ClientId, out var current) && current == session)
        {
            _sessions.Remove(session.ClientId);
        }

        var subscriptions = session.Subscriptions.Values.ToList();
        session.Subscriptions.Clear();
        foreach (var subscription in subscriptions)
        {
            RemoveFromIndexLocked(session, subscription);
        }

        session.Pending.Clear();
        session.Inflight.Clear();
        session.IncomingQos2.Clear();
    }

    private static MqttQos Min(MqttQos a, MqttQos b) => a < b ? a : b;

    private static MqttQos Max(MqttQos a, MqttQos b) => a > b ? a : b;

    private void Log(string message) => _options.Log?.Invoke(message);

    internal void Warn(string message) => (_options.LogWarning ?? _options.Log)?.Invoke(message);
}
