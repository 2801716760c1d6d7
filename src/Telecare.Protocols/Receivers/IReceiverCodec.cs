using System.Buffers;

namespace Telecare.Protocols.Receivers;

/// <summary>
/// A receiver dialect: pure parsing of the receiver's output and the computer's replies.
/// </summary>
public interface IReceiverCodec
{
    ReceiverDialect Dialect { get; }

    /// <summary>The longest line kept before it is cut and reported as <c>line-too-long</c>.</summary>
    int MaxLineLength { get; }

    /// <summary>
    /// Reads the next frame or malformed piece from the front of <paramref name="buffer"/> and slices
    /// the consumed bytes off. False means more data is needed (the buffer is left as it was).
    /// Never throws on any input.
    /// </summary>
    bool TryRead(ref ReadOnlySequence<byte> buffer, out ReceiverReadResult result);

    /// <summary>Writes the acknowledgement the receiver waits for (ACK 0x06).</summary>
    void WriteAck(IBufferWriter<byte> output);

    /// <summary>Writes a negative acknowledgement (NAK 0x15): the receiver sends the line again.</summary>
    void WriteNak(IBufferWriter<byte> output);
}
