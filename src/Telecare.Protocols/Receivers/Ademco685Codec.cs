namespace Telecare.Protocols.Receivers;

/// <summary>
/// Ademco 685 / MX8000 style output: LF, message, CR. Contact ID <c>RRL AAAA 18 QXYZ GG UCCC</c>
/// (Q is the digit 1/3/6, U is <c>C</c> for a zone or <c>U</c> for a user); heartbeat <c>RR OKAY @ </c>;
/// an empty line is a link test. The LF is treated as a start marker and not required.
/// </summary>
public sealed class Ademco685Codec : LineReceiverCodec
{
    public const byte Cr = 0x0D;
    public const byte Lf = 0x0A;

    private const int ContactIdLength = 24;
    private const int HeartbeatLength = 9; // "RR OKAY @", then an optional space

    public Ademco685Codec(int maxLineLength = DefaultMaxLineLength)
        : base(maxLineLength)
    {
    }

    public override ReceiverDialect Dialect => ReceiverDialect.Ademco685;

    private protected override byte Terminator => Cr;

    private protected override int LongestMessage => ContactIdLength;

    private protected override int ShortestMessage => HeartbeatLength;

    private protected override bool TryMatchAt(ReadOnlySpan<byte> line, int index, out int length)
    {
        length = 0;
        var s = line[index..];
        if (s.Length < HeartbeatLength || !IsDigit(s[0]) || !IsDigit(s[1]))
        {
            return false;
        }

        if (s.Slice(2, 7).SequenceEqual(" OKAY @"u8))
        {
            length = s.Length > HeartbeatLength && s[HeartbeatLength] == ' ' ? HeartbeatLength + 1 : HeartbeatLength;
            return true;
        }

        if (s.Length >= ContactIdLength
            && IsDigit(s[2])
            && s[3] == ' '
            && AllContactIdDigits(s.Slice(4, 4))
            && s[8] == ' '
            && (s.Slice(9, 2).SequenceEqual("18"u8) || s.Slice(9, 2).SequenceEqual("98"u8))
            && s[11] == ' '
            && s[12] is (byte)'1' or (byte)'3' or (byte)'6'
            && AllDigits(s.Slice(13, 3))
            && s[16] == ' '
            && AllDigits(s.Slice(17, 2))
            && s[19] == ' '
            && s[20] is (byte)'C' or (byte)'U'
            && AllDigits(s.Slice(21, 3)))
        {
            length = ContactIdLength;
            return true;
        }

        return false;
    }

    private protected override ReceiverFrame CreateFrame(ReadOnlySpan<byte> m, ReadOnlyMemory<byte> raw, int copies)
    {
        if (m.Length < ContactIdLength)
        {
            return new ReceiverFrame
            {
                Dialect = Dialect,
                Kind = ReceiverFrameKind.Heartbeat,
                Receiver = Ascii(m[..2]),
                Line = "",
                Copies = copies,
                Raw = raw,
            };
        }

        return new ReceiverFrame
        {
            Dialect = Dialect,
            Kind = ReceiverFrameKind.Event,
            Format = ReceiverMessageFormat.ContactId,
            Receiver = Ascii(m[..2]),
            Line = Ascii(m.Slice(2, 1)),
            Account = Ascii(m.Slice(4, 4)),
            MessageType = Decimal(m.Slice(9, 2)),
            Qualifier = (ContactIdQualifier)(m[12] - '0'),
            EventCode = Decimal(m.Slice(13, 3)),
            Group = Decimal(m.Slice(17, 2)),
            Zone = Decimal(m.Slice(21, 3)),
            ZoneIsUser = m[20] == 'U',
            Copies = copies,
            Raw = raw,
        };
    }

    private protected override ReceiverReadResult BlankLine(ReadOnlyMemory<byte> raw) =>
        ReceiverReadResult.Of(
            new ReceiverFrame
            {
                Dialect = Dialect,
                Kind = ReceiverFrameKind.LinkTest,
                Receiver = "",
                Line = "",
                Raw = new[] { Cr },
            },
            endOfLine: true);
}
