using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Telecare.Protocols.Mqtt;

/// <summary>Reads MQTT data types from one packet body; every length is checked against the limits first.</summary>
internal ref struct MqttSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly MqttCodecLimits _limits;
    private int _position;

    public MqttSpanReader(ReadOnlySpan<byte> span, MqttCodecLimits limits)
    {
        _span = span;
        _limits = limits;
    }

    public readonly int Remaining => _span.Length - _position;

    public static MqttMalformedException Malformed(string reason) => new(reason, MqttReasonCode.MalformedPacket);

    public static MqttMalformedException ProtocolError(string reason) => new(reason, MqttReasonCode.ProtocolError);

    public byte ReadByte()
    {
        if (_position >= _span.Length)
        {
            throw Malformed("truncated packet");
        }

        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        if (Remaining < 2)
        {
            throw Malformed("truncated packet");
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        if (Remaining < 4)
        {
            throw Malformed("truncated packet");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    public uint ReadVariableByteInteger()
    {
        uint value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte();
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i > 0 && b == 0)
                {
                    throw Malformed("variable byte integer not in its shortest form");
                }

                return value;
            }
        }

        throw Malformed("variable byte integer longer than 4 bytes");
    }

    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        var length = ReadUInt16();
        if (length > _limits.MaxStringLength)
        {
            throw new MqttMalformedException($"field of {length} bytes exceeds the limit of {_limits.MaxStringLength}", MqttReasonCode.PacketTooLarge);
        }

        if (length > Remaining)
        {
            throw Malformed("field length runs past the end of the packet");
        }

        var span = _span.Slice(_position, length);
        _position += length;
        return span;
    }

    public ReadOnlyMemory<byte> ReadBinary() => ReadBinarySpan().ToArray();

    /// <summary>A UTF-8 encoded string: well-formed, no U+0000 (OASIS 1.5.4).</summary>
    public string ReadString()
    {
        var bytes = ReadBinarySpan();
        if (!Utf8.IsValid(bytes))
        {
            throw Malformed("string is not well-formed UTF-8");
        }

        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw Malformed("string contains U+0000");
        }

        return bytes.Length == 0 ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    public ReadOnlyMemory<byte> ReadRest()
    {
        var rest = _span[_position..].ToArray();
        _position = _span.Length;
        return rest;
    }

    public readonly void EnsureEnd()
    {
        if (_position != _span.Length)
        {
            throw Malformed("unexpected bytes after the end of the packet");
        }
    }

    /// <summary>Reads an MQTT 5 property section, accepting only the properties allowed in <paramref name="context"/>.</summary>
    public MqttProperties ReadProperties(MqttPropertyContext context)
    {
        var length = ReadVariableByteInteger();
        if (length > Remaining)
        {
            throw Malformed("property length runs past the end of the packet");
        }

        if (length == 0)
        {
            return MqttProperties.Empty;
        }

        var end = _position + (int)length;
        var p = new MqttProperties();
        List<MqttUserProperty>? user = null;
        List<uint>? subscriptionIds = null;
        ulong seen = 0;
        while (_position < end)
        {
            var id = ReadVariableByteInteger();
            if (id > 0x2A || (MqttPropertyRules.AllowedIn((byte)id) & context) == 0)
            {
                throw ProtocolError($"property 0x{id:X2} is not allowed in {context}");
            }

            var repeatable = id is 0x26 or 0x0B;
            if (!repeatable)
            {
                var bit = 1UL << (int)id;
                if ((seen & bit) != 0)
                {
                    throw ProtocolError($"property 0x{id:X2} appears twice");
                }

                seen |= bit;
            }

            switch (id)
            {
                case 0x01: p = p with { PayloadFormatIndicator = ReadFlag("payload format indicator") }; break;
                case 0x02: p = p with { MessageExpiryInterval = ReadUInt32() }; break;
                case 0x03: p = p with { ContentType = ReadString() }; break;
                case 0x08:
                    var responseTopic = ReadString();
                    if (!MqttTopic.IsValidTopicName(responseTopic))
                    {
                        throw ProtocolError("response topic is not a valid topic name");
                    }

                    p = p with { ResponseTopic = responseTopic };
                    break;
                case 0x09: p = p with { CorrelationData = ReadBinary() }; break;
                case 0x0B:
                    var sid = ReadVariableByteInteger();
                    if (sid == 0)
                    {
                        throw ProtocolError("subscription identifier of 0");
                    }

                    if (context == MqttPropertyContext.Subscribe && subscriptionIds is not null)
                    {
                        throw ProtocolError("SUBSCRIBE carries more than one subscription identifier");
                    }

                    (subscriptionIds ??= []).Add(sid);
                    break;
                case 0x11: p = p with { SessionExpiryInterval = ReadUInt32() }; break;
                case 0x12: p = p with { AssignedClientIdentifier = ReadString() }; break;
                case 0x13: p = p with { ServerKeepAlive = ReadUInt16() }; break;
                case 0x15: p = p with { AuthenticationMethod = ReadString() }; break;
                case 0x16: p = p with { AuthenticationData = ReadBinary() }; break;
                case 0x17: p = p with { RequestProblemInformation = ReadFlag("request problem information") }; break;
                case 0x18: p = p with { WillDelayInterval = ReadUInt32() }; break;
                case 0x19: p = p with { RequestResponseInformation = ReadFlag("request response information") }; break;
                case 0x1A: p = p with { ResponseInformation = ReadString() }; break;
                case 0x1C: p = p with { ServerReference = ReadString() }; break;
                case 0x1F: p = p with { ReasonString = ReadString() }; break;
                case 0x21: p = p with { ReceiveMaximum = ReadNonZeroUInt16("receive maximum") }; break;
                case 0x22: p = p with { TopicAliasMaximum = ReadUInt16() }; break;
                case 0x23: p = p with { TopicAlias = ReadNonZeroUInt16("topic alias") }; break;
                case 0x24: p = p with { MaximumQos = ReadFlag("maximum QoS") }; break;
                case 0x25: p = p with { RetainAvailable = ReadFlag("retain available") }; break;
                case 0x26:
                    user ??= [];
                    if (user.Count >= _limits.MaxUserProperties)
                    {
                        throw new MqttMalformedException($"more than {_limits.MaxUserProperties} user properties", MqttReasonCode.PacketTooLarge);
                    }

                    user.Add(new MqttUserProperty(ReadString(), ReadString()));
                    break;
                case 0x27:
                    var max = ReadUInt32();
                    if (max == 0)
                    {
                        throw ProtocolError("maximum packet size of 0");
                    }

                    p = p with { MaximumPacketSize = max };
                    break;
                case 0x28: p = p with { WildcardSubscriptionAvailable = ReadFlag("wildcard subscription available") }; break;
                case 0x29: p = p with { SubscriptionIdentifierAvailable = ReadFlag("subscription identifier available") }; break;
                case 0x2A: p = p with { SharedSubscriptionAvailable = ReadFlag("shared subscription available") }; break;
                default: throw ProtocolError($"unknown property 0x{id:X2}");
            }

            if (_position > end)
            {
                throw Malformed("property runs past the property length");
            }
        }

        if (user is not null)
        {
            p = p with { UserProperties = user };
        }

        if (subscriptionIds is not null)
        {
            p = p with { SubscriptionIdentifiers = subscriptionIds };
        }

        return p;
    }

    private byte ReadFlag(string name)
    {
        var b = ReadByte();
        if (b > 1)
        {
            throw ProtocolError($"{name} must be 0 or 1");
        }

        return b;
    }

    private ushort ReadNonZeroUInt16(string name)
    {
        var v = ReadUInt16();
        if (v == 0)
        {
            throw ProtocolError($"{name} of 0");
        }

        return v;
    }
}
