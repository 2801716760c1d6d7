using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>
/// A raw MQTT peer for protocol tests: sends exactly the packets a test writes and records every
/// packet it receives, over an in-memory pipe pair or any <see cref="IDuplexPipe"/>.
/// </summary>
internal sealed class MqttTestPeer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly IDuplexPipe _pipe;
    private readonly Channel<MqttPacket> _received = Channel.CreateUnbounded<MqttPacket>();
    private readonly Task _reader;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttTestPeer(IDuplexPipe pipe, MqttProtocolVersion version)
    {
        _pipe = pipe;
        Version = version;
        _reader = ReadLoopAsync();
    }

    public MqttProtocolVersion Version { get; }

    public Task Closed => _closed.Task;

    /// <summary>Connects a new peer to the broker over in-memory pipes; the broker side runs until closed.</summary>
    public static (MqttTestPeer Peer, Task Server) Attach(MqttBroker broker, MqttProtocolVersion version)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = broker.HandleConnectionAsync(new Duplex(toServer.Reader, toClient.Writer));
        return (new MqttTestPeer(new Duplex(toClient.Reader, toServer.Writer), version), server);
    }

    /// <summary>A pipe for a client under test and the peer that plays the server on its other end.</summary>
    public static (IDuplexPipe ClientSide, MqttTestPeer Server) CreatePair(MqttProtocolVersion version)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new Duplex(toClient.Reader, toServer.Writer), new MqttTestPeer(new Duplex(toServer.Reader, toClient.Writer), version));
    }

    public static async Task<MqttTestPeer> ConnectAsync(MqttBroker broker, MqttConnectPacket connect, MqttReasonCode expected = MqttReasonCode.Success)
    {
        var (peer, _) = Attach(broker, connect.ProtocolVersion);
        await peer.SendAsync(connect);
        var ack = await peer.ReceiveAsync<MqttConnAckPacket>();
        Assert.Equal(expected, ack.ReasonCode);
        peer.LastConnAck = ack;
        return peer;
    }

    public MqttConnAckPacket? LastConnAck { get; private set; }

    public async Task SendAsync(MqttPacket packet)
    {
        MqttPacketCodec.Write(packet, Version, _pipe.Output);
        await _pipe.Output.FlushAsync();
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _pipe.Output.WriteAsync(bytes);
    }

    public async Task<MqttPacket> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no packet within {Timeout.TotalSeconds} s");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the connection closed while a packet was expected");
        }
    }

    public async Task<T> ReceiveAsync<T>()
        where T : MqttPacket
    {
        var packet = await ReceiveAsync();
        return Assert.IsType<T>(packet);
    }

    /// <summary>True when a packet is already waiting (used after a round trip proved ordering).</summary>
    public bool TryTake(out MqttPacket? packet) => _received.Reader.TryRead(out packet);

    /// <summary>Sends PINGREQ and returns everything received before PINGRESP: a barrier without sleeping.</summary>
    public async Task<List<MqttPacket>> RoundTripAsync()
    {
        await SendAsync(MqttPingReqPacket.Instance);
        var before = new List<MqttPacket>();
        while (true)
        {
            var p = await ReceiveAsync();
            if (p is MqttPingRespPacket)
            {
                return before;
            }

            before.Add(p);
        }
    }

    public async Task WaitClosedAsync() => await _closed.Task.WaitAsync(Timeout);

    public async Task CloseAsync()
    {
        await _pipe.Output.CompleteAsync();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _pipe.Input.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var status = MqttPacketCodec.TryRead(ref buffer, Version, MqttCodecLimits.Default with { MaxRemainingLength = 16 * 1024 * 1024 }, out var packet, out var error);
                    if (status == MqttReadStatus.Packet)
                    {
                        _received.Writer.TryWrite(packet!);
                        continue;
                    }

                    if (status == MqttReadStatus.Malformed)
                    {
                        throw new InvalidOperationException($"broker sent a malformed packet: {error}");
                    }

                    break;
                }

                _pipe.Input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            _received.Writer.TryComplete(e);
            _closed.TrySetResult();
            return;
        }

        _received.Writer.TryComplete();
        _closed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.Output.CompleteAsync();
        try
        {
            await _reader.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
