using System.Buffers.Binary;
using System.Text;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// Writes MQTT data types. Created without a destination it only counts bytes, so one encoding
/// routine gives both the remaining length and the bytes.
/// </summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _span;
    private readonly bool _measureOnly;
    private int _position;

    public MqttSpanWriter(Span<byte> span)
    {
        _span = span;
        _measureOnly = false;
    }

    public static MqttSpanWriter Measure() => new(measure: true);

    private MqttSpanWriter(bool measure)
    {
        _span = default;
        _measureOnly = measure;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value)
    {
        if (!_measureOnly)
        {
            _span[_position] = value;
        }

        _position++;
    }

    public void WriteUInt16(ushort value)
    {
        if (!_measureOnly)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        }

        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        if (!_measureOnly)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        }

        _position += 4;
    }

    public void WriteVariableByteInteger(uint value)
    {
        if (value > MqttPacketCodec.MaxVariableByteInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "too large for a variable byte integer");
        }

        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                b |= 0x80;
            }

            WriteByte(b);
        }
        while (value > 0);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("string longer than 65,535 UTF-8 bytes", nameof(value));
        }

        WriteUInt16((ushort)length);
        if (!_measureOnly)
        {
            Encoding.UTF8.GetBytes(value, _span[_position..]);
        }

        _position += length;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("binary field longer than 65,535 bytes", nameof(value));
        }

        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (!_measureOnly)
        {
            value.CopyTo(_span[_position..]);
        }

        _position += value.Length;
    }

    public static int VariableByteIntegerSize(uint value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };
}
