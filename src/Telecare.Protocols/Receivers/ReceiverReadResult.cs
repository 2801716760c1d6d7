namespace Telecare.Protocols.Receivers;

/// <summary>
/// What one <see cref="IReceiverCodec.TryRead"/> produced: a frame or a malformed piece.
/// <see cref="EndOfLine"/> is true when the receiver's line (up to its terminator) has been fully
/// consumed: that is when the receiver waits for an ACK (or NAK), once per line even when the line
/// held several messages.
/// </summary>
public readonly record struct ReceiverReadResult(ReceiverFrame? Frame, ReceiverMalformed? Malformed, bool EndOfLine)
{
    public static ReceiverReadResult Of(ReceiverFrame frame, bool endOfLine) => new(frame, null, endOfLine);

    public static ReceiverReadResult Bad(string reason, ReadOnlyMemory<byte> raw, bool endOfLine) =>
        new(null, new ReceiverMalformed(reason, raw), endOfLine);

    public bool IsFrame => Frame is not null;
}
