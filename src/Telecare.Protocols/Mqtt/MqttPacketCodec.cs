using System.Buffers;

namespace Telecare.Protocols.Mqtt;

/// <summary>
/// MQTT 3.1.1 (OASIS 2014) and MQTT 5.0 (OASIS 2019) packets to and from bytes. Pure: no I/O, no state.
/// CONNECT is self-describing (it carries its protocol level); every other packet is read in the
/// version the connection agreed at CONNECT.
/// </summary>
public static class MqttPacketCodec
{
    public const uint MaxVariableByteInteger = 268_435_455;

    /// <summary>
    /// Reads one packet from the front of <paramref name="buffer"/>. On <see cref="MqttReadStatus.Packet"/> the
    /// buffer is moved past it; otherwise the buffer is left as it was. Never throws on bad input.
    /// </summary>
    public static MqttReadStatus TryRead(
        ref ReadOnlySequence<byte> buffer,
        MqttProtocolVersion version,
        MqttCodecLimits limits,
        out MqttPacket? packet,
        out MqttReadError error)
    {
        packet = null;
        error = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return MqttReadStatus.NeedMoreData;
        }

        var type = (MqttPacketType)(first >> 4);
        var flags = (byte)(first & 0x0F);
        var headerProblem = CheckFixedHeader(type, flags, version);
        if (headerProblem is not null)
        {
            error = new MqttReadError(headerProblem, MqttReasonCode.MalformedPacket);
            return MqttReadStatus.Malformed;
        }

        uint remaining = 0;
        for (var i = 0; ; i++)
        {
            if (i == 4)
            {
                error = new MqttReadError("remaining length longer than 4 bytes", MqttReasonCode.MalformedPacket);
                return MqttReadStatus.Malformed;
            }

            if (!reader.TryRead(out var b))
            {
                return MqttReadStatus.NeedMoreData;
            }

            remaining |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i > 0 && b == 0)
                {
                    error = new MqttReadError("remaining length not in its shortest form", MqttReasonCode.MalformedPacket);
                    return MqttReadStatus.Malformed;
                }

                break;
            }
        }

        // The declared size is judged before waiting for or allocating any of it.
        if (remaining > (uint)Math.Max(0, limits.MaxRemainingLength))
        {
            error = new MqttReadError($"packet of {remaining} bytes exceeds the limit of {limits.MaxRemainingLength}", MqttReasonCode.PacketTooLarge);
            return MqttReadStatus.Malformed;
        }

        if (reader.Remaining < remaining)
        {
            return MqttReadStatus.NeedMoreData;
        }

        var body = buffer.Slice(reader.Position, remaining);
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (body.IsSingleSegment)
            {
                span = body.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)remaining);
                body.CopyTo(rented);
                span = rented.AsSpan(0, (int)remaining);
            }

            var r = new MqttSpanReader(span, limits);
            packet = ReadBody(ref r, type, flags, version, limits);
            r.EnsureEnd();
        }
        catch (MqttMalformedException e)
        {
            packet = null;
            error = new MqttReadError(e.Message, e.Code);
            return MqttReadStatus.Malformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        buffer = buffer.Slice(body.End);
        return MqttReadStatus.Packet;
    }

    private static string? CheckFixedHeader(MqttPacketType type, byte flags, MqttProtocolVersion version)
    {
        switch (type)
        {
            case 0:
                return "reserved packet type 0";
            case MqttPacketType.Auth when version != MqttProtocolVersion.V500:
                return "AUTH is not part of MQTT 3.1.1";
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 0x03;
                if (qos == 3)
                {
                    return "PUBLISH with QoS 3";
                }

                if (qos == 0 && (flags & 0x08) != 0)
                {
                    return "PUBLISH QoS 0 with DUP set";
                }

                return null;
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                return flags == 0x02 ? null : $"{type} fixed header flags must be 0010";
            default:
                return flags == 0 ? null : $"{type} fixed header flags must be 0000";
        }
    }

    private static MqttPacket ReadBody(ref MqttSpanReader r, MqttPacketType type, byte flags, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var v5 = version == MqttProtocolVersion.V500;
        switch (type)
        {
            case MqttPacketType.Connect:
                return ReadConnect(ref r);
            case MqttPacketType.ConnAck:
                return ReadConnAck(ref r, v5);
            case MqttPacketType.Publish:
                return ReadPublish(ref r, flags, v5);
            case MqttPacketType.PubAck:
                {
                    var (id, code, props) = ReadPublishResponse(ref r, v5, IsPubAckCode);
                    return new MqttPubAckPacket(id, code) { Properties = props };
                }

            case MqttPacketType.PubRec:
                {
                    var (id, code, props) = ReadPublishResponse(ref r, v5, IsPubAckCode);
                    return new MqttPubRecPacket(id, code) { Properties = props };
                }

            case MqttPacketType.PubRel:
                {
                    var (id, code, props) = ReadPublishResponse(ref r, v5, IsPubRelCode);
                    return new MqttPubRelPacket(id, code) { Properties = props };
                }

            case MqttPacketType.PubComp:
                {
                    var (id, code, props) = ReadPublishResponse(ref r, v5, IsPubRelCode);
                    return new MqttPubCompPacket(id, code) { Properties = props };
                }

            case MqttPacketType.Subscribe:
                return ReadSubscribe(ref r, v5, limits);
            case MqttPacketType.SubAck:
                return ReadSubAck(ref r, v5, limits);
            case MqttPacketType.Unsubscribe:
                return ReadUnsubscribe(ref r, v5, limits);
            case MqttPacketType.UnsubAck:
                return ReadUnsubAck(ref r, v5, limits);
            case MqttPacketType.PingReq:
                return MqttPingReqPacket.Instance;
            case MqttPacketType.PingResp:
                return MqttPingRespPacket.Instance;
            case MqttPacketType.Disconnect:
                return ReadDisconnect(ref r, v5);
            case MqttPacketType.Auth:
                return ReadAuth(ref r);
            default:
                throw MqttSpanReader.Malformed($"unknown packet type {(int)type}");
        }
    }

    private static MqttConnectPacket ReadConnect(ref MqttSpanReader r)
    {
        var protocolName = r.ReadString();
        var level = r.ReadByte();
        if (protocolName == "MQIsdp" || (protocolName == "MQTT" && level is not (4 or 5)))
        {
            throw new MqttMalformedException($"unsupported protocol {protocolName} level {level}", MqttReasonCode.UnsupportedProtocolVersion);
        }

        if (protocolName != "MQTT")
        {
            throw new MqttMalformedException($"unknown protocol name '{protocolName}'", MqttReasonCode.UnsupportedProtocolVersion);
        }

        var version = (MqttProtocolVersion)level;
        var v5 = version == MqttProtocolVersion.V500;
        var flags = r.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw MqttSpanReader.Malformed("CONNECT reserved flag is set");
        }

        var cleanStart = (flags & 0x02) != 0;
        var willFlag = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var passwordFlag = (flags & 0x40) != 0;
        var usernameFlag = (flags & 0x80) != 0;
        if (willQos == 3)
        {
            throw MqttSpanReader.Malformed("will QoS 3");
        }

        if (!willFlag && (willQos != 0 || willRetain))
        {
            throw MqttSpanReader.Malformed("will QoS or retain set without a will");
        }

        if (!v5 && passwordFlag && !usernameFlag)
        {
            throw MqttSpanReader.Malformed("password without user name (MQTT 3.1.1)");
        }

        var keepAlive = r.ReadUInt16();
        var properties = v5 ? r.ReadProperties(MqttPropertyContext.Connect) : MqttProperties.Empty;
        var clientId = r.ReadString();
        MqttWill? will = null;
        if (willFlag)
        {
            var willProperties = v5 ? r.ReadProperties(MqttPropertyContext.Will) : MqttProperties.Empty;
            var willTopic = r.ReadString();
            if (!MqttTopic.IsValidTopicName(willTopic))
            {
                throw new MqttMalformedException("will topic is not a valid topic name", MqttReasonCode.TopicNameInvalid);
            }

            var willPayload = r.ReadBinary();
            will = new MqttWill(willTopic, willPayload, (MqttQos)willQos, willRetain) { Properties = willProperties };
        }

        var username = usernameFlag ? r.ReadString() : null;
        ReadOnlyMemory<byte>? password = passwordFlag ? r.ReadBinary() : (ReadOnlyMemory<byte>?)null;
        return new MqttConnectPacket(version, clientId, cleanStart, keepAlive)
        {
            Username = username,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    private static MqttConnAckPacket ReadConnAck(ref MqttSpanReader r, bool v5)
    {
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0)
        {
            throw MqttSpanReader.Malformed("CONNACK reserved flags are set");
        }

        var code = r.ReadByte();
        if (v5 ? !IsConnAckCode(code) : code > 5)
        {
            throw MqttSpanReader.ProtocolError($"CONNACK reason code 0x{code:X2} is not valid");
        }

        var props = v5 ? r.ReadProperties(MqttPropertyContext.ConnAck) : MqttProperties.Empty;
        return new MqttConnAckPacket((ackFlags & 1) != 0, (MqttReasonCode)code) { Properties = props };
    }

    private static MqttPublishPacket ReadPublish(ref MqttSpanReader r, byte flags, bool v5)
    {
        var qos = (MqttQos)((flags >> 1) & 0x03);
        var topic = r.ReadString();
        ushort packetId = 0;
        if (qos != MqttQos.AtMostOnce)
        {
            packetId = ReadPacketId(ref r);
        }

        var props = v5 ? r.ReadProperties(MqttPropertyContext.Publish) : MqttProperties.Empty;
        if (topic.Length == 0)
        {
            // MQTT 5 lets a topic alias stand in for the name; the session resolves it.
            if (!v5 || props.TopicAlias is null)
            {
                throw new MqttMalformedException("PUBLISH without a topic name", v5 ? MqttReasonCode.ProtocolError : MqttReasonCode.TopicNameInvalid);
            }
        }
        else if (!MqttTopic.IsValidTopicName(topic))
        {
            throw new MqttMalformedException("PUBLISH topic contains a wildcard", MqttReasonCode.TopicNameInvalid);
        }

        var payload = r.ReadRest();
        return new MqttPublishPacket(topic, payload, qos, (flags & 0x01) != 0)
        {
            Dup = (flags & 0x08) != 0,
            PacketId = packetId,
            Properties = props,
        };
    }

    private static (ushort Id, MqttReasonCode Code, MqttProperties Props) ReadPublishResponse(ref MqttSpanReader r, bool v5, Func<byte, bool> validCode)
    {
        var id = ReadPacketId(ref r);
        if (!v5 || r.Remaining == 0)
        {
            return (id, MqttReasonCode.Success, MqttProperties.Empty);
        }

        var code = r.ReadByte();
        if (!validCode(code))
        {
            throw MqttSpanReader.ProtocolError($"reason code 0x{code:X2} is not valid here");
        }

        var props = r.Remaining == 0 ? MqttProperties.Empty : r.ReadProperties(MqttPropertyContext.PublishResponse);
        return (id, (MqttReasonCode)code, props);
    }

    private static MqttSubscribePacket ReadSubscribe(ref MqttSpanReader r, bool v5, MqttCodecLimits limits)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties(MqttPropertyContext.Subscribe) : MqttProperties.Empty;
        var list = new List<MqttSubscription>();
        while (r.Remaining > 0)
        {
            if (list.Count >= limits.MaxTopicFiltersPerPacket)
            {
                throw new MqttMalformedException($"more than {limits.MaxTopicFiltersPerPacket} topic filters", MqttReasonCode.PacketTooLarge);
            }

            var filter = ReadTopicFilter(ref r);
            var options = r.ReadByte();
            var qos = options & 0x03;
            if (qos == 3)
            {
                throw MqttSpanReader.Malformed("subscription QoS 3");
            }

            if (v5 ? (options & 0xC0) != 0 : (options & 0xFC) != 0)
            {
                throw MqttSpanReader.Malformed("subscription options reserved bits are set");
            }

            var retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3)
            {
                throw MqttSpanReader.ProtocolError("retain handling 3");
            }

            var noLocal = (options & 0x04) != 0;
            if (noLocal && filter.StartsWith(MqttTopic.SharePrefix, StringComparison.Ordinal))
            {
                throw MqttSpanReader.ProtocolError("no-local on a shared subscription");
            }

            list.Add(new MqttSubscription(filter, (MqttQos)qos)
            {
                NoLocal = noLocal,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)retainHandling,
            });
        }

        if (list.Count == 0)
        {
            throw MqttSpanReader.ProtocolError("SUBSCRIBE without a topic filter");
        }

        return new MqttSubscribePacket(id, list) { Properties = props };
    }

    private static MqttSubAckPacket ReadSubAck(ref MqttSpanReader r, bool v5, MqttCodecLimits limits)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties(MqttPropertyContext.SubAck) : MqttProperties.Empty;
        var codes = ReadReasonCodes(ref r, limits, v5 ? IsSubAckCode : static c => c is 0 or 1 or 2 or 0x80);
        return new MqttSubAckPacket(id, codes) { Properties = props };
    }

    private static MqttUnsubscribePacket ReadUnsubscribe(ref MqttSpanReader r, bool v5, MqttCodecLimits limits)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? r.ReadProperties(MqttPropertyContext.Unsubscribe) : MqttProperties.Empty;
        var filters = new List<string>();
        while (r.Remaining > 0)
        {
            if (filters.Count >= limits.MaxTopicFiltersPerPacket)
            {
                throw new MqttMalformedException($"more than {limits.MaxTopicFiltersPerPacket} topic filters", MqttReasonCode.PacketTooLarge);
            }

            filters.Add(ReadTopicFilter(ref r));
        }

        if (filters.Count == 0)
        {
            throw MqttSpanReader.ProtocolError("UNSUBSCRIBE without a topic filter");
        }

        return new MqttUnsubscribePacket(id, filters) { Properties = props };
    }

    private static MqttUnsubAckPacket ReadUnsubAck(ref MqttSpanReader r, bool v5, MqttCodecLimits limits)
    {
        var id = ReadPacketId(ref r);
        if (!v5)
        {
            return new MqttUnsubAckPacket(id, []);
        }

        var props = r.ReadProperties(MqttPropertyContext.UnsubAck);
        var codes = ReadReasonCodes(ref r, limits, static c => c is 0x00 or 0x11 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91);
        return new MqttUnsubAckPacket(id, codes) { Properties = props };
    }

    private static MqttDisconnectPacket ReadDisconnect(ref MqttSpanReader r, bool v5)
    {
        if (!v5 || r.Remaining == 0)
        {
            return new MqttDisconnectPacket();
        }

        var code = r.ReadByte();
        if (!IsDisconnectCode(code))
        {
            throw MqttSpanReader.ProtocolError($"DISCONNECT reason code 0x{code:X2} is not valid");
        }

        var props = r.Remaining == 0 ? MqttProperties.Empty : r.ReadProperties(MqttPropertyContext.Disconnect);
        return new MqttDisconnectPacket((MqttReasonCode)code) { Properties = props };
    }

    private static MqttAuthPacket ReadAuth(ref MqttSpanReader r)
    {
        if (r.Remaining == 0)
        {
            return new MqttAuthPacket();
        }

        var code = r.ReadByte();
        if (code is not (0x00 or 0x18 or 0x19))
        {
            throw MqttSpanReader.ProtocolError($"AUTH reason code 0x{code:X2} is not valid");
        }

        var props = r.Remaining == 0 ? MqttProperties.Empty : r.ReadProperties(MqttPropertyContext.Auth);
        return new MqttAuthPacket((MqttReasonCode)code) { Properties = props };
    }

    private static ushort ReadPacketId(ref MqttSpanReader r)
    {
        var id = r.ReadUInt16();
        if (id == 0)
        {
            throw MqttSpanReader.ProtocolError("packet identifier 0");
        }

        return id;
    }

    private static string ReadTopicFilter(ref MqttSpanReader r)
    {
        var filter = r.ReadString();
        if (!MqttTopic.IsValidTopicFilter(filter))
        {
            throw new MqttMalformedException($"invalid topic filter '{filter}'", MqttReasonCode.TopicFilterInvalid);
        }

        return filter;
    }

    private static List<MqttReasonCode> ReadReasonCodes(ref MqttSpanReader r, MqttCodecLimits limits, Func<byte, bool> valid)
    {
        var codes = new List<MqttReasonCode>(r.Remaining);
        while (r.Remaining > 0)
        {
            if (codes.Count >= limits.MaxTopicFiltersPerPacket)
            {
                throw new MqttMalformedException($"more than {limits.MaxTopicFiltersPerPacket} reason codes", MqttReasonCode.PacketTooLarge);
            }

            var c = r.ReadByte();
            if (!valid(c))
            {
                throw MqttSpanReader.ProtocolError($"reason code 0x{c:X2} is not valid here");
            }

            codes.Add((MqttReasonCode)c);
        }

        if (codes.Count == 0)
        {
            throw MqttSpanReader.ProtocolError("acknowledgement without reason codes");
        }

        return codes;
    }

    private static bool IsPubAckCode(byte c) => c is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90 or 0x91 or 0x97 or 0x99;

    private static bool IsPubRelCode(byte c) => c is 0x00 or 0x92;

    private static bool IsSubAckCode(byte c) => c is 0x00 or 0x01 or 0x02 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91 or 0x97 or 0x9E or 0xA1 or 0xA2;

    private static bool IsConnAckCode(byte c) => c is 0x00 or (>= 0x80 and <= 0x8A) or 0x8C or 0x90 or 0x95 or 0x97 or 0x99 or 0x9A or 0x9B or 0x9C or 0x9D or 0x9F;

    private static bool IsDisconnectCode(byte c) => c is 0x00 or 0x04 or (>= 0x80 and <= 0x83) or 0x87 or 0x89 or 0x8B
        or (>= 0x8D and <= 0x90) or (>= 0x93 and <= 0xA2);

    /// <summary>Writes <paramref name="packet"/> in <paramref name="version"/> (CONNECT uses its own version).</summary>
    public static void Write(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        var measure = MqttSpanWriter.Measure();
        var first = WriteBody(ref measure, packet, version);
        var remaining = measure.Position;
        if ((uint)remaining > MaxVariableByteInteger)
        {
            throw new ArgumentException("packet larger than MQTT allows", nameof(packet));
        }

        var total = 1 + MqttSpanWriter.VariableByteIntegerSize((uint)remaining) + remaining;
        var span = output.GetSpan(total)[..total];
        var w = new MqttSpanWriter(span);
        w.WriteByte(first);
        w.WriteVariableByteInteger((uint)remaining);
        var bodyWriter = new MqttSpanWriter(span[w.Position..]);
        WriteBody(ref bodyWriter, packet, version);
        output.Advance(total);
    }

    /// <summary>Size in bytes of <paramref name="packet"/> when written, fixed header included.</summary>
    public static int MeasureSize(MqttPacket packet, MqttProtocolVersion version)
    {
        var measure = MqttSpanWriter.Measure();
        WriteBody(ref measure, packet, version);
        var remaining = measure.Position;
        return 1 + MqttSpanWriter.VariableByteIntegerSize((uint)remaining) + remaining;
    }

    /// <summary>Writes the variable header and payload; returns the first fixed-header byte.</summary>
    private static byte WriteBody(ref MqttSpanWriter w, MqttPacket packet, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        switch (packet)
        {
            case MqttConnectPacket c:
                WriteConnect(ref w, c);
                return 0x10;
            case MqttConnAckPacket c:
                w.WriteByte(c.SessionPresent ? (byte)1 : (byte)0);
                w.WriteByte((byte)c.ReasonCode);
                if (v5)
                {
                    WriteProperties(ref w, c.Properties);
                }

                return 0x20;
            case MqttPublishPacket p:
                w.WriteString(p.Topic);
                if (p.Qos != MqttQos.AtMostOnce)
                {
                    w.WriteUInt16(p.PacketId);
                }

                if (v5)
                {
                    WriteProperties(ref w, p.Properties);
                }

                w.WriteBytes(p.Payload.Span);
                return (byte)(0x30 | (p.Dup ? 0x08 : 0) | ((byte)p.Qos << 1) | (p.Retain ? 1 : 0));
            case MqttPublishResponsePacket a:
                w.WriteUInt16(a.PacketId);
                if (v5 && (a.ReasonCode != MqttReasonCode.Success || !IsEmpty(a.Properties)))
                {
                    w.WriteByte((byte)a.ReasonCode);
                    if (!IsEmpty(a.Properties))
                    {
                        WriteProperties(ref w, a.Properties);
                    }
                }

                return a switch
                {
                    MqttPubAckPacket => (byte)0x40,
                    MqttPubRecPacket => (byte)0x50,
                    MqttPubRelPacket => (byte)0x62,
                    _ => (byte)0x70,
                };
            case MqttSubscribePacket s:
                w.WriteUInt16(s.PacketId);
                if (v5)
                {
                    WriteProperties(ref w, s.Properties);
                }

                foreach (var sub in s.Subscriptions)
                {
                    w.WriteString(sub.TopicFilter);
                    var options = (byte)sub.Qos;
                    if (v5)
                    {
                        options |= (byte)((sub.NoLocal ? 0x04 : 0) | (sub.RetainAsPublished ? 0x08 : 0) | ((byte)sub.RetainHandling << 4));
                    }

                    w.WriteByte(options);
                }

                return 0x82;
            case MqttSubAckPacket s:
                w.WriteUInt16(s.PacketId);
                if (v5)
                {
                    WriteProperties(ref w, s.Properties);
                }

                foreach (var code in s.ReasonCodes)
                {
                    w.WriteByte((byte)code);
                }

                return 0x90;
            case MqttUnsubscribePacket u:
                w.WriteUInt16(u.PacketId);
                if (v5)
                {
                    WriteProperties(ref w, u.Properties);
                }

                foreach (var filter in u.TopicFilters)
                {
                    w.WriteString(filter);
                }

                return 0xA2;
            case MqttUnsubAckPacket u:
                w.WriteUInt16(u.PacketId);
                if (v5)
                {
                    WriteProperties(ref w, u.Properties);
                    foreach (var code in u.ReasonCodes)
                    {
                        w.WriteByte((byte)code);
                    }
                }

                return 0xB0;
            case MqttPingReqPacket:
                return 0xC0;
            case MqttPingRespPacket:
                return 0xD0;
            case MqttDisconnectPacket d:
                if (v5 && (d.ReasonCode != MqttReasonCode.NormalDisconnection || !IsEmpty(d.Properties)))
                {
                    w.WriteByte((byte)d.ReasonCode);
                    if (!IsEmpty(d.Properties))
                    {
                        WriteProperties(ref w, d.Properties);
                    }
                }

                return 0xE0;
            case MqttAuthPacket a:
                if (!v5)
                {
                    throw new ArgumentException("AUTH exists only in MQTT 5", nameof(packet));
                }

                if (a.ReasonCode != MqttReasonCode.Success || !IsEmpty(a.Properties))
                {
                    w.WriteByte((byte)a.ReasonCode);
                    WriteProperties(ref w, a.Properties);
                }

                return 0xF0;
            default:
                throw new ArgumentException($"unknown packet {packet.GetType().Name}", nameof(packet));
        }
    }

    private static void WriteConnect(ref MqttSpanWriter w, MqttConnectPacket c)
    {
        var v5 = c.ProtocolVersion == MqttProtocolVersion.V500;
        w.WriteString("MQTT");
        w.WriteByte((byte)c.ProtocolVersion);
        var flags = 0;
        if (c.CleanStart)
        {
            flags |= 0x02;
        }

        if (c.Will is { } will)
        {
            flags |= 0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0);
        }

        if (c.Password is not null)
        {
            flags |= 0x40;
        }

        if (c.Username is not null)
        {
            flags |= 0x80;
        }

        w.WriteByte((byte)flags);
        w.WriteUInt16(c.KeepAliveSeconds);
        if (v5)
        {
            WriteProperties(ref w, c.Properties);
        }

        w.WriteString(c.ClientId);
        if (c.Will is { } wl)
        {
            if (v5)
            {
                WriteProperties(ref w, wl.Properties);
            }

            w.WriteString(wl.Topic);
            w.WriteBinary(wl.Payload.Span);
        }

        if (c.Username is not null)
        {
            w.WriteString(c.Username);
        }

        if (c.Password is { } password)
        {
            w.WriteBinary(password.Span);
        }
    }

    private static bool IsEmpty(MqttProperties p) => ReferenceEquals(p, MqttProperties.Empty) || MeasureProperties(p) == 0;

    private static int MeasureProperties(MqttProperties p)
    {
        var m = MqttSpanWriter.Measure();
        WritePropertyList(ref m, p);
        return m.Position;
    }

    private static void WriteProperties(ref MqttSpanWriter w, MqttProperties p)
    {
        if (ReferenceEquals(p, MqttProperties.Empty))
        {
            w.WriteByte(0);
            return;
        }

        w.WriteVariableByteInteger((uint)MeasureProperties(p));
        WritePropertyList(ref w, p);
    }

    private static void WritePropertyList(ref MqttSpanWriter w, MqttProperties p)
    {
        if (p.PayloadFormatIndicator is { } pfi) { w.WriteByte(0x01); w.WriteByte(pfi); }
        if (p.MessageExpiryInterval is { } mei) { w.WriteByte(0x02); w.WriteUInt32(mei); }
        if (p.ContentType is { } ct) { w.WriteByte(0x03); w.WriteString(ct); }
        if (p.ResponseTopic is { } rt) { w.WriteByte(0x08); w.WriteString(rt); }
        if (p.CorrelationData is { } cd) { w.WriteByte(0x09); w.WriteBinary(cd.Span); }
        foreach (var sid in p.SubscriptionIdentifiers) { w.WriteByte(0x0B); w.WriteVariableByteInteger(sid); }
        if (p.SessionExpiryInterval is { } sei) { w.WriteByte(0x11); w.WriteUInt32(sei); }
        if (p.AssignedClientIdentifier is { } aci) { w.WriteByte(0x12); w.WriteString(aci); }
        if (p.ServerKeepAlive is { } ska) { w.WriteByte(0x13); w.WriteUInt16(ska); }
        if (p.AuthenticationMethod is { } am) { w.WriteByte(0x15); w.WriteString(am); }
        if (p.AuthenticationData is { } ad) { w.WriteByte(0x16); w.WriteBinary(ad.Span); }
        if (p.RequestProblemInformation is { } rpi) { w.WriteByte(0x17); w.WriteByte(rpi); }
        if (p.WillDelayInterval is { } wdi) { w.WriteByte(0x18); w.WriteUInt32(wdi); }
        if (p.RequestResponseInformation is { } rri) { w.WriteByte(0x19); w.WriteByte(rri); }
        if (p.ResponseInformation is { } ri) { w.WriteByte(0x1A); w.WriteString(ri); }
        if (p.ServerReference is { } sr) { w.WriteByte(0x1C); w.WriteString(sr); }
        if (p.ReasonString is { } rs) { w.WriteByte(0x1F); w.WriteString(rs); }
        if (p.ReceiveMaximum is { } rm) { w.WriteByte(0x21); w.WriteUInt16(rm); }
        if (p.TopicAliasMaximum is { } tam) { w.WriteByte(0x22); w.WriteUInt16(tam); }
        if (p.TopicAlias is { } ta) { w.WriteByte(0x23); w.WriteUInt16(ta); }
        if (p.MaximumQos is { } mq) { w.WriteByte(0x24); w.WriteByte(mq); }
        if (p.RetainAvailable is { } ra) { w.WriteByte(0x25); w.WriteByte(ra); }
        foreach (var up in p.UserProperties) { w.WriteByte(0x26); w.WriteString(up.Name); w.WriteString(up.Value); }
        if (p.MaximumPacketSize is { } mps) { w.WriteByte(0x27); w.WriteUInt32(mps); }
        if (p.WildcardSubscriptionAvailable is { } wsa) { w.WriteByte(0x28); w.WriteByte(wsa); }
        if (p.SubscriptionIdentifierAvailable is { } sia) { w.WriteByte(0x29); w.WriteByte(sia); }
        if (p.SharedSubscriptionAvailable is { } ssa) { w.WriteByte(0x2A); w.WriteByte(ssa); }
    }
}
