namespace Telecare.Protocols.Receivers;

/// <summary>
/// Sur-Gard MLR2 serial output. Each message ends with DC4 (0x14):
/// Contact ID <c>5RRLs18AAAAQXYZGGCCC</c> (Q is E new, R restore, P still present),
/// SIA <c>3RRLssssAAAAAAXXYYYY</c>, heartbeat <c>1RRL</c> + 11 spaces + <c>@</c> + 4 spaces.
/// </summary>
public sealed class SurGardMlr2Codec : LineReceiverCodec
{
    /// <summary>DC4, the end of every Sur-Gard message.</summary>
    public const byte Dc4 = 0x14;

    private const int FixedLength = 20;    // every Sur-Gard message body here is 20 characters
    private const int HeartbeatCore = 16;  // "1RRL" + 11 spaces + "@"; the 4 trailing spaces are optional

    public SurGardMlr2Codec(int maxLineLength = DefaultMaxLineLength)
        : base(maxLineLength)
    {
    }

    public override ReceiverDialect Dialect => ReceiverDialect.SurGardMlr2;

    private protected override byte Terminator => Dc4;

    private protected override int LongestMessage => FixedLength;

    private protected override int ShortestMessage => HeartbeatCore;

    private protected override bool TryMatchAt(ReadOnlySpan<byte> line, int index, out int length)
    {
        length = 0;
        var s = line[index..];
        if (s.Length < HeartbeatCore || !IsHex(s[1]) || !IsHex(s[2]) || !IsDigit(s[3]))
        {
            return false;
        }

        switch (s[0])
        {
            case (byte)'5' when s.Length >= FixedLength
                && s[4] == ' '
                && (s.Slice(5, 2).SequenceEqual("18"u8) || s.Slice(5, 2).SequenceEqual("98"u8))
                && AllContactIdDigits(s.Slice(7, 4))
                && s[11] is (byte)'E' or (byte)'R' or (byte)'P'
                && AllDigits(s.Slice(12, 8)):
                length = FixedLength;
                return true;

            case (byte)'3' when s.Length >= FixedLength
                && AllSpaces(s.Slice(4, 4))
                && AllHex(s.Slice(8, 6))
                && s[14] is >= (byte)'A' and <= (byte)'Z'
                && s[15] is >= (byte)'A' and <= (byte)'Z'
                && AllDigits(s.Slice(16, 4)):
                length = FixedLength;
                return true;

            case (byte)'1' when AllSpaces(s.Slice(4, 11)) && s[15] == '@':
                length = HeartbeatCore;
                while (length < FixedLength && length < s.Length && s[length] == ' ')
                {
                    length++;
                }

                return true;

            default:
                return false;
        }
    }

    private protected override ReceiverFrame CreateFrame(ReadOnlySpan<byte> m, ReadOnlyMemory<byte> raw, int copies)
    {
        var receiver = Ascii(m.Slice(1, 2));
        var line = Ascii(m.Slice(3, 1));
        return m[0] switch
        {
            (byte)'5' => new ReceiverFrame
            {
                Dialect = Dialect,
                Kind = ReceiverFrameKind.Event,
                Format = ReceiverMessageFormat.ContactId,
                Receiver = receiver,
                Line = line,
                Account = Ascii(m.Slice(7, 4)),
                MessageType = Decimal(m.Slice(5, 2)),
                Qualifier = m[11] switch
                {
                    (byte)'E' => ContactIdQualifier.New,
                    (byte)'R' => ContactIdQualifier.Restore,
                    _ => ContactIdQualifier.StillPresent,
                },
                EventCode = Decimal(m.Slice(12, 3)),
                Group = Decimal(m.Slice(15, 2)),
                Zone = Decimal(m.Slice(17, 3)),
                Copies = copies,
                Raw = raw,
            },
            (byte)'3' => new ReceiverFrame
            {
                Dialect = Dialect,
                Kind = ReceiverFrameKind.Event,
                Format = ReceiverMessageFormat.Sia,
                Receiver = receiver,
                Line = line,
                Account = Ascii(m.Slice(8, 6)),
                SiaCode = Ascii(m.Slice(14, 2)),
                Zone = Decimal(m.Slice(16, 4)),
                Copies = copies,
                Raw = raw,
            },
            _ => new ReceiverFrame
            {
                Dialect = Dialect,
                Kind = ReceiverFrameKind.Heartbeat,
                Receiver = receiver,
                Line = line,
                Copies = copies,
                Raw = raw,
            },
        };
    }

    private protected override ReceiverReadResult BlankLine(ReadOnlyMemory<byte> raw) =>
        ReceiverReadResult.Bad("empty-line", raw, endOfLine: true);
}
