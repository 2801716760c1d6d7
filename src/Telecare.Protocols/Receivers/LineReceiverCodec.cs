using System.Buffers;

namespace Telecare.Protocols.Receivers;

/// <summary>
/// The shared line logic of the receiver dialects: find the terminator inside a bounded window,
/// skip noise before a message, collapse glued copies of the same message, and cut a line that
/// never ends. A dialect only says what a message looks like.
/// </summary>
public abstract class LineReceiverCodec : IReceiverCodec
{
    /// <summary>ACK: the computer took the line.</summary>
    public const byte Ack = 0x06;

    /// <summary>NAK: the computer wants the line again.</summary>
    public const byte Nak = 0x15;

    public const int DefaultMaxLineLength = 512;
    public const int MinimumMaxLineLength = 128;
    public const int MaximumMaxLineLength = 64 * 1024;

    private const int StackLine = 512;

    private protected LineReceiverCodec(int maxLineLength)
    {
        if (maxLineLength is < MinimumMaxLineLength or > MaximumMaxLineLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLineLength), maxLineLength,
                $"the maximum line length must be {MinimumMaxLineLength}..{MaximumMaxLineLength} bytes");
        }

        MaxLineLength = maxLineLength;
    }

    public abstract ReceiverDialect Dialect { get; }

    public int MaxLineLength { get; }

    /// <summary>The byte that ends a line.</summary>
    private protected abstract byte Terminator { get; }

    /// <summary>The longest message, so that cutting an endless line never splits one.</summary>
    private protected abstract int LongestMessage { get; }

    /// <summary>The shortest message, to stop scanning early.</summary>
    private protected abstract int ShortestMessage { get; }

    /// <summary>Whether a message starts at <paramref name="index"/>; its length when it does.</summary>
    private protected abstract bool TryMatchAt(ReadOnlySpan<byte> line, int index, out int length);

    /// <summary>Builds the frame for a message that <see cref="TryMatchAt"/> accepted.</summary>
    private protected abstract ReceiverFrame CreateFrame(ReadOnlySpan<byte> message, ReadOnlyMemory<byte> raw, int copies);

    /// <summary>What a line with nothing but blanks is in this dialect.</summary>
    private protected abstract ReceiverReadResult BlankLine(ReadOnlyMemory<byte> raw);

    public void WriteAck(IBufferWriter<byte> output) => WriteByte(output, Ack);

    public void WriteNak(IBufferWriter<byte> output) => WriteByte(output, Nak);

    public bool TryRead(ref ReadOnlySequence<byte> buffer, out ReceiverReadResult result)
    {
        result = default;
        if (buffer.IsEmpty)
        {
            return false;
        }

        // Look for the terminator only inside the window: a hostile stream never grows the search.
        var window = buffer.Length > MaxLineLength ? buffer.Slice(0, MaxLineLength) : buffer;
        var end = window.PositionOf(Terminator);
        if (end is null)
        {
            if (buffer.Length < MaxLineLength)
            {
                return false;
            }

            // Keep the tail that could still hold the start of a real message.
            var cut = MaxLineLength - LongestMessage;
            result = ReceiverReadResult.Bad("line-too-long", buffer.Slice(0, cut).ToArray(), endOfLine: false);
            buffer = buffer.Slice(cut);
            return true;
        }

        var lineSeq = buffer.Slice(0, end.Value);
        var lineLength = (int)lineSeq.Length;
        byte[]? rented = null;
        var line = lineLength <= StackLine
            ? stackalloc byte[StackLine]
            : (rented = ArrayPool<byte>.Shared.Rent(lineLength));
        line = line[..lineLength];
        lineSeq.CopyTo(line);
        try
        {
            result = ParseLine(line, out var consumed);
            buffer = buffer.Slice(consumed);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private ReceiverReadResult ParseLine(ReadOnlySpan<byte> line, out int consumed)
    {
        var start = FindMessage(line, 0, out var length);
        if (start < 0)
        {
            consumed = line.Length + 1;
            var raw = WithTerminator(line);
            return IsBlank(line) ? BlankLine(raw) : ReceiverReadResult.Bad("unrecognised-line", raw, endOfLine: true);
        }

        var message = line.Slice(start, length);
        var copies = 1;
        var next = start + length;
        while (true)
        {
            var k = SkipBlanks(line, next);
            if (k + length > line.Length || !line.Slice(k, length).SequenceEqual(message))
            {
                break;
            }

            copies++;
            next = k + length;
        }

        var frame = CreateFrame(message, WithTerminator(message), copies);

        // A different message glued behind this one: stop before it so the next read returns it.
        var following = FindMessage(line, next, out _);
        if (following >= 0)
        {
            consumed = following;
            return ReceiverReadResult.Of(frame, endOfLine: false);
        }

        consumed = line.Length + 1;
        return ReceiverReadResult.Of(frame, endOfLine: true);
    }

    private int FindMessage(ReadOnlySpan<byte> line, int from, out int length)
    {
        for (var i = from; i <= line.Length - ShortestMessage; i++)
        {
            if (TryMatchAt(line, i, out length))
            {
                return i;
            }
        }

        length = 0;
        return -1;
    }

    private byte[] WithTerminator(ReadOnlySpan<byte> message)
    {
        var raw = new byte[message.Length + 1];
        message.CopyTo(raw);
        raw[^1] = Terminator;
        return raw;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (!IsBlank(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\r' or (byte)'\n' or 0;

    private static int SkipBlanks(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && IsBlank(line[i]))
        {
            i++;
        }

        return i;
    }

    private static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private protected static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private protected static bool IsHex(byte b) => IsDigit(b) || b is >= (byte)'A' and <= (byte)'F';

    private protected static bool AllDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        return true;
    }

    private protected static bool AllHex(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!IsHex(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Contact ID accounts use 0-9 and B-F (A is not a Contact ID digit).</summary>
    private protected static bool AllContactIdDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (ContactId.DigitValue(b) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private protected static bool AllSpaces(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (b != (byte)' ')
            {
                return false;
            }
        }

        return true;
    }

    private protected static int Decimal(ReadOnlySpan<byte> s)
    {
        var v = 0;
        foreach (var b in s)
        {
            v = (v * 10) + (b - '0');
        }

        return v;
    }

    private protected static string Ascii(ReadOnlySpan<byte> s) => System.Text.Encoding.ASCII.GetString(s);
}
