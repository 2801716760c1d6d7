using System.Buffers;
using System.IO.Pipelines;

namespace Telecare.Protocols.Receivers;

/// <summary>
/// The read loop for one receiver line over any <see cref="IDuplexPipe"/> (a serial port, or an
/// in-memory pipe in tests): hands out one frame or malformed piece at a time, and writes ACK / NAK
/// when the caller says so. The caller acknowledges after the frame is durably stored, and only
/// when the result has <see cref="ReceiverReadResult.EndOfLine"/> set. One reader and one writer.
/// </summary>
public sealed class ReceiverConnection
{
    private readonly IDuplexPipe _pipe;
    private readonly IReceiverCodec _codec;

    public ReceiverConnection(IDuplexPipe pipe, IReceiverCodec codec)
    {
        _pipe = pipe ?? throw new ArgumentNullException(nameof(pipe));
        _codec = codec ?? throw new ArgumentNullException(nameof(codec));
    }

    public IReceiverCodec Codec => _codec;

    /// <summary>
    /// The next result, or null when the input has ended cleanly. A transport failure (a serial
    /// hang-up) is thrown from here so the caller can reopen the port.
    /// </summary>
    public async ValueTask<ReceiverReadResult?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var input = _pipe.Input;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (_codec.TryRead(ref buffer, out var result))
            {
                input.AdvanceTo(buffer.Start);
                return result;
            }

            if (read.IsCompleted)
            {
                if (buffer.IsEmpty)
                {
                    input.AdvanceTo(buffer.End);
                    return null;
                }

                var rest = buffer.ToArray();
                input.AdvanceTo(buffer.End);
                return ReceiverReadResult.Bad("truncated-at-end", rest, endOfLine: true);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Sends ACK (0x06).</summary>
    public ValueTask AcknowledgeAsync(CancellationToken cancellationToken = default)
    {
        _codec.WriteAck(_pipe.Output);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Sends NAK (0x15): the receiver will send the line again.</summary>
    public ValueTask RejectAsync(CancellationToken cancellationToken = default)
    {
        _codec.WriteNak(_pipe.Output);
        return FlushAsync(cancellationToken);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var flush = await _pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new IOException("the receiver link is closed; the reply was not sent");
        }
    }
}
