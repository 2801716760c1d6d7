using System.IO.Pipelines;
using System.Threading.Channels;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// One network connection of <see cref="MqttClient"/>: read loop, ordered acknowledgement loop for
/// incoming messages, and the single writer. State that outlives the connection stays in the client.
/// </summary>
internal sealed class MqttClientConnection
{
    private readonly MqttClient _client;
    private readonly IDuplexPipe _pipe;
    private readonly IAsyncDisposable? _owner;
    private readonly MqttProtocolVersion _version;
    private readonly MqttCodecLimits _limits;
    private readonly CancellationTokenSource _cts = new();
    private readonly Channel<MqttPacket> _out = Channel.CreateUnbounded<MqttPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Incoming> _incoming;
    private readonly TaskCompletionSource<MqttConnAckPacket> _connAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _completion = Task.CompletedTask;
    private long _lastReceivedTicks;

    private readonly record struct Incoming(MqttPublishPacket Packet, ValueTask<MqttPublishOutcome> Outcome, bool Duplicate);

    public MqttClientConnection(MqttClient client, IDuplexPipe pipe, IAsyncDisposable? owner, MqttProtocolVersion version, MqttCodecLimits limits, ushort receiveMaximum)
    {
        _client = client;
        _pipe = pipe;
        _owner = owner;
        _version = version;
        _limits = limits;
        _incoming = Channel.CreateBounded<Incoming>(new BoundedChannelOptions(receiveMaximum + 16) { SingleReader = true, SingleWriter = true });
    }

    public Task<MqttConnAckPacket> ConnAck => _connAck.Task;

    /// <summary>Completes when the connection has fully closed.</summary>
    public Task Completion => _completion;

    public MqttProtocolVersion Version => _version;

    public long LastReceivedTicks => Volatile.Read(ref _lastReceivedTicks);

    public bool IsClosing => _cts.IsCancellationRequested;

    public void Start(long nowTicks)
    {
        _lastReceivedTicks = nowTicks;
        _completion = RunAsync();
    }

    public void Send(MqttPacket packet) => _out.Writer.TryWrite(packet);

    public void CloseAfterSending(MqttPacket? last)
    {
        if (last is not null)
        {
            _out.Writer.TryWrite(last);
        }

        _out.Writer.TryComplete();
        _cts.Cancel();
    }

    private async Task RunAsync()
    {
        var writer = WriteLoopAsync();
        var acks = AckLoopAsync();
        Exception? failure = null;
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            _connAck.TrySetException(failure ?? new IOException("the connection closed before CONNACK"));
            _incoming.Writer.TryComplete();
            try
            {
                // A consumer that never finishes must not keep a dead connection from reconnecting.
                await acks.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _cts.Cancel();
                await acks.ConfigureAwait(false);
            }

            _client.OnConnectionClosed(this, failure);
            _out.Writer.TryComplete();
            try
            {
                await writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _pipe.Output.CancelPendingFlush();
                await writer.ConfigureAwait(false);
            }

            await _pipe.Input.CompleteAsync().ConfigureAwait(false);
            _cts.Cancel();
            if (_owner is not null)
            {
                await _owner.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _pipe.Input;
        while (true)
        {
            var result = await input.ReadAsync(_cts.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var keepGoing = true;
            try
            {
                while (keepGoing)
                {
                    var status = MqttPacketCodec.TryRead(ref buffer, _version, _limits, out var packet, out var error);
                    if (status == MqttReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == MqttReadStatus.Malformed)
                    {
                        _client.Log($"MQTT client: malformed packet from server: {error}");
                        CloseAfterSending(_version == MqttProtocolVersion.V500 ? new MqttDisconnectPacket(error.ReasonCode) : null);
                        return;
                    }

                    Volatile.Write(ref _lastReceivedTicks, _client.NowTicks());
                    keepGoing = await HandleAsync(packet!).ConfigureAwait(false);
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

    private async ValueTask<bool> HandleAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case MqttConnAckPacket ack:
                _connAck.TrySetResult(ack);
                return (byte)ack.ReasonCode == 0;
            case MqttPublishPacket p:
                if (p.Qos == MqttQos.ExactlyOnce && _client.IsIncomingQos2Known(p.PacketId))
                {
                    await _incoming.Writer.WriteAsync(new Incoming(p, new(MqttPublishOutcome.Success), true), _cts.Token).ConfigureAwait(false);
                    return true;
                }

                var message = new MqttApplicationMessage(p.Topic, p.Payload, p.Qos, p.Retain) { Properties = p.Properties };
                ValueTask<MqttPublishOutcome> outcome;
                try
                {
                    outcome = _client.Deliver(message, _cts.Token);
                }
                catch (Exception e)
                {
                    outcome = ValueTask.FromException<MqttPublishOutcome>(e);
                }

                await _incoming.Writer.WriteAsync(new Incoming(p, outcome, false), _cts.Token).ConfigureAwait(false);
                return true;
            case MqttPubRelPacket rel:
                _client.ForgetIncomingQos2(rel.PacketId);
                Send(new MqttPubCompPacket(rel.PacketId));
                return true;
            case MqttPubAckPacket or MqttPubRecPacket or MqttPubCompPacket:
                _client.OnPublishResponse(this, (MqttPublishResponsePacket)packet);
                return true;
            case MqttSubAckPacket or MqttUnsubAckPacket:
                _client.OnRequestAnswered(packet);
                return true;
            case MqttPingRespPacket:
                return true;
            case MqttDisconnectPacket d:
                _client.Log($"MQTT client: server disconnected us: {d.ReasonCode} {d.Properties.ReasonString}");
                return false;
            default:
                _client.Log($"MQTT client: unexpected {packet.Type} from server");
                CloseAfterSending(_version == MqttProtocolVersion.V500 ? new MqttDisconnectPacket(MqttReasonCode.ProtocolError) : null);
                return false;
        }
    }

    /// <summary>Acknowledges incoming messages in arrival order, each after the consumer has finished with it.</summary>
    private async Task AckLoopAsync()
    {
        try
        {
            await foreach (var item in _incoming.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                MqttPublishOutcome outcome;
                try
                {
                    // A handler that ignores cancellation must not keep a closed connection alive.
                    outcome = item.Outcome.IsCompletedSuccessfully
                        ? item.Outcome.Result
                        : await item.Outcome.AsTask().WaitAsync(_cts.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!_cts.IsCancellationRequested)
                {
                    _client.Log($"MQTT client: message handler failed ({e.GetType().Name}: {e.Message}); closing without acknowledgement");
                    CloseAfterSending(null);
                    return;
                }

                var p = item.Packet;
                var v5 = _version == MqttProtocolVersion.V500;
                var code = v5 ? outcome.ReasonCode : MqttReasonCode.Success;
                var props = v5 && outcome.ReasonString is { } reason ? new MqttProperties { ReasonString = reason } : MqttProperties.Empty;
                if (p.Qos == MqttQos.AtLeastOnce)
                {
                    Send(new MqttPubAckPacket(p.PacketId, code) { Properties = props });
                }
                else if (p.Qos == MqttQos.ExactlyOnce)
                {
                    if (!item.Duplicate && (byte)code < 0x80)
                    {
                        _client.RememberIncomingQos2(p.PacketId);
                    }

                    Send(new MqttPubRecPacket(p.PacketId, code) { Properties = props });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _pipe.Output;
        var reader = _out.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var packet))
                {
                    MqttPacketCodec.Write(packet, _version, output);
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
            // The read side notices the broken connection.
        }
        finally
        {
            _cts.Cancel();
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }
}
