namespace Telecare.Protocols.Receivers;

/// <summary>
/// Bytes that are not a message. <see cref="Reason"/> is a short stable token:
/// <c>unrecognised-line</c>, <c>empty-line</c>, <c>line-too-long</c>, <c>truncated-at-end</c>, or a Contact ID field
/// error such as <c>qualifier</c>.
/// </summary>
public sealed record ReceiverMalformed(string Reason, ReadOnlyMemory<byte> Raw)
{
    public override string ToString() => $"{Reason} ({Raw.Length} bytes)";
}
