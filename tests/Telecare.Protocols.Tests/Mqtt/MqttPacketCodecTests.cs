using System.Buffers;
using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

public sealed class MqttPacketCodecTests
{
    [Theory]
    [MemberData(nameof(MqttCodecFixtures.Names), MemberType = typeof(MqttCodecFixtures))]
    public void Write_produces_the_hand_computed_bytes(string name)
    {
        var f = MqttCodecFixtures.Get(name);
        Assert.Equal(Convert.ToHexString(f.Bytes), Convert.ToHexString(MqttTestBuffers.Encode(f.Packet, f.Version)));
        Assert.Equal(f.Bytes.Length, MqttPacketCodec.MeasureSize(f.Packet, f.Version));
    }

    [Theory]
    [MemberData(nameof(MqttCodecFixtures.Names), MemberType = typeof(MqttCodecFixtures))]
    public void Read_of_the_fixture_round_trips_to_the_same_bytes(string name)
    {
        var f = MqttCodecFixtures.Get(name);
        var buffer = new ReadOnlySequence<byte>(f.Bytes);
        var status = MqttPacketCodec.TryRead(ref buffer, f.Version, MqttCodecLimits.Default, out var packet, out var error);
        Assert.True(status == MqttReadStatus.Packet, error.ToString());
        Assert.Equal(0, buffer.Length);
        Assert.Equal(f.Packet.GetType(), packet!.GetType());
        Assert.Equal(Convert.ToHexString(f.Bytes), Convert.ToHexString(MqttTestBuffers.Encode(packet, f.Version)));
    }

    [Theory]
    [MemberData(nameof(MqttCodecFixtures.Names), MemberType = typeof(MqttCodecFixtures))]
    public void Every_split_point_gives_the_same_packet_and_every_prefix_needs_more_data(string name)
    {
        var f = MqttCodecFixtures.Get(name);
        var bytes = f.Bytes;
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var prefix = new ReadOnlySequence<byte>(bytes[..cut]);
            Assert.Equal(MqttReadStatus.NeedMoreData, MqttPacketCodec.TryRead(ref prefix, f.Version, MqttCodecLimits.Default, out _, out _));
            Assert.Equal(cut, prefix.Length);

            var split = MqttTestBuffers.Split(bytes, cut);
            var status = MqttPacketCodec.TryRead(ref split, f.Version, MqttCodecLimits.Default, out var packet, out var error);
            Assert.True(status == MqttReadStatus.Packet, $"cut {cut}: {error}");
            Assert.Equal(0, split.Length);
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(MqttTestBuffers.Encode(packet!, f.Version)));
        }
    }

    [Fact]
    public void Two_packets_back_to_back_are_read_one_at_a_time()
    {
        var bytes = MqttTestBuffers.Hex("30 07 00 03 61 2F 62 68 69 C0 00 40");
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(MqttReadStatus.Packet, MqttPacketCodec.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out var first, out _));
        Assert.Equal(MqttReadStatus.Packet, MqttPacketCodec.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out var second, out _));
        Assert.Equal(MqttReadStatus.NeedMoreData, MqttPacketCodec.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out _, out _));
        var publish = Assert.IsType<MqttPublishPacket>(first);
        Assert.Equal("a/b", publish.Topic);
        Assert.Equal("hi", Encoding.UTF8.GetString(publish.Payload.Span));
        Assert.IsType<MqttPingReqPacket>(second);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Decoded_fields_match_the_specification_layout()
    {
        var connect = Read<MqttConnectPacket>("v3 connect will user password", MqttProtocolVersion.V311);
        Assert.Equal(MqttProtocolVersion.V311, connect.ProtocolVersion);
        Assert.Equal("c1", connect.ClientId);
        Assert.True(connect.CleanStart);
        Assert.Equal(60, connect.KeepAliveSeconds);
        Assert.Equal("dev1", connect.Username);
        Assert.Equal("pw", Encoding.UTF8.GetString(connect.Password!.Value.Span));
        Assert.Equal("w/t", connect.Will!.Topic);
        Assert.Equal(MqttQos.AtLeastOnce, connect.Will.Qos);
        Assert.True(connect.Will.Retain);

        var v5 = Read<MqttConnectPacket>("v5 connect properties and will properties", MqttProtocolVersion.V500);
        Assert.Equal(3600u, v5.Properties.SessionExpiryInterval);
        Assert.Equal((ushort)20, v5.Properties.ReceiveMaximum);
        Assert.Equal(new MqttUserProperty("k", "v"), Assert.Single(v5.Properties.UserProperties));
        Assert.Equal(5u, v5.Will!.Properties.WillDelayInterval);

        var publish = Read<MqttPublishPacket>("v5 publish qos1 properties", MqttProtocolVersion.V500);
        Assert.Equal("t/1", publish.Topic);
        Assert.Equal((ushort)1, publish.PacketId);
        Assert.Equal(60u, publish.Properties.MessageExpiryInterval);
        Assert.Equal("json", publish.Properties.ContentType);
        Assert.Equal((ushort)3, publish.Properties.TopicAlias);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, publish.Properties.CorrelationData!.Value.ToArray());

        var sub = Read<MqttSubscribePacket>("v5 subscribe options shared", MqttProtocolVersion.V500);
        Assert.Equal(5u, Assert.Single(sub.Properties.SubscriptionIdentifiers));
        Assert.True(sub.Subscriptions[0].RetainAsPublished);
        Assert.Equal(MqttRetainHandling.DoNotSend, sub.Subscriptions[0].RetainHandling);
        Assert.True(sub.Subscriptions[1].NoLocal);

        var subId = Read<MqttPublishPacket>("v5 publish subscription identifier", MqttProtocolVersion.V500);
        Assert.Equal(200u, Assert.Single(subId.Properties.SubscriptionIdentifiers));

        var puback = Read<MqttPubAckPacket>("v5 puback reason string", MqttProtocolVersion.V500);
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, puback.ReasonCode);
        Assert.Equal("bad", puback.Properties.ReasonString);
    }

    private static T Read<T>(string fixture, MqttProtocolVersion version)
        where T : MqttPacket
    {
        var buffer = new ReadOnlySequence<byte>(MqttCodecFixtures.Get(fixture).Bytes);
        Assert.Equal(MqttReadStatus.Packet, MqttPacketCodec.TryRead(ref buffer, version, MqttCodecLimits.Default, out var packet, out _));
        return Assert.IsType<T>(packet);
    }

    [Theory]
    [InlineData(4, "00 00", MqttReasonCode.MalformedPacket)] // reserved type 0
    [InlineData(4, "F0 00", MqttReasonCode.MalformedPacket)] // AUTH in 3.1.1
    [InlineData(4, "36 00", MqttReasonCode.MalformedPacket)] // QoS 3
    [InlineData(4, "38 03 00 01 61", MqttReasonCode.MalformedPacket)] // QoS 0 with DUP
    [InlineData(4, "80 06 00 01 00 01 61 00", MqttReasonCode.MalformedPacket)] // SUBSCRIBE flags not 0010
    [InlineData(4, "30 FF FF FF FF 01", MqttReasonCode.MalformedPacket)] // 5-byte remaining length
    [InlineData(4, "C0 80 00", MqttReasonCode.MalformedPacket)] // non-minimal remaining length
    [InlineData(4, "30 FF FF FF 7F", MqttReasonCode.PacketTooLarge)] // 256 MB declared, judged before the body arrives
    [InlineData(4, "30 05 20 00 61 61 61", MqttReasonCode.PacketTooLarge)] // string longer than the limit
    [InlineData(4, "30 04 00 02 C3 28", MqttReasonCode.MalformedPacket)] // invalid UTF-8
    [InlineData(4, "30 04 00 02 ED A0 80", MqttReasonCode.MalformedPacket)] // (length mismatch) truncated
    [InlineData(4, "30 05 00 03 ED A0 80", MqttReasonCode.MalformedPacket)] // UTF-16 surrogate encoded in UTF-8
    [InlineData(4, "30 04 00 02 61 00", MqttReasonCode.MalformedPacket)] // U+0000
    [InlineData(4, "30 05 00 03 61 2F 2B", MqttReasonCode.TopicNameInvalid)] // wildcard in a topic name
    [InlineData(4, "30 02 00 00", MqttReasonCode.TopicNameInvalid)] // empty topic in 3.1.1
    [InlineData(4, "32 05 00 01 61 00 00", MqttReasonCode.ProtocolError)] // packet id 0
    [InlineData(4, "82 07 00 01 00 02 61 23 00", MqttReasonCode.TopicFilterInvalid)] // "a#"
    [InlineData(4, "82 08 00 01 00 03 61 2B 2F 00", MqttReasonCode.TopicFilterInvalid)] // "a+/"
    [InlineData(4, "82 02 00 01", MqttReasonCode.ProtocolError)] // SUBSCRIBE without filters
    [InlineData(4, "82 06 00 01 00 01 61 03", MqttReasonCode.MalformedPacket)] // subscription QoS 3
    [InlineData(4, "82 06 00 01 00 01 61 04", MqttReasonCode.MalformedPacket)] // 3.1.1 reserved option bits
    [InlineData(4, "10 0E 00 04 4D 51 54 54 04 03 00 00 00 02 63 31", MqttReasonCode.MalformedPacket)] // reserved CONNECT flag
    [InlineData(4, "10 10 00 06 4D 51 49 73 64 70 03 02 00 00 00 02 63 31", MqttReasonCode.UnsupportedProtocolVersion)] // MQTT 3.1
    [InlineData(4, "10 0E 00 04 4D 51 54 54 06 02 00 00 00 02 63 31", MqttReasonCode.UnsupportedProtocolVersion)] // level 6
    [InlineData(4, "10 0E 00 04 4D 51 54 54 04 42 00 00 00 02 63 31", MqttReasonCode.MalformedPacket)] // password without user (3.1.1)
    [InlineData(4, "10 0E 00 04 4D 51 54 54 04 12 00 00 00 02 63 31", MqttReasonCode.MalformedPacket)] // will QoS without will
    [InlineData(4, "10 0F 00 04 4D 51 54 54 04 02 00 00 00 02 63 31 00", MqttReasonCode.MalformedPacket)] // trailing byte
    [InlineData(4, "C0 01 00", MqttReasonCode.MalformedPacket)] // PINGREQ with a body
    [InlineData(4, "40 03 00 01 00", MqttReasonCode.MalformedPacket)] // 3.1.1 PUBACK with a reason code
    [InlineData(5, "40 03 00 01 05", MqttReasonCode.ProtocolError)] // PUBACK reason not allowed
    [InlineData(5, "30 0E 00 01 61 0A 02 00 00 00 01 02 00 00 00 02", MqttReasonCode.ProtocolError)] // duplicate property
    [InlineData(5, "30 09 00 01 61 05 11 00 00 00 01", MqttReasonCode.ProtocolError)] // session expiry in PUBLISH
    [InlineData(5, "30 07 00 01 61 03 23 00 00", MqttReasonCode.ProtocolError)] // topic alias 0
    [InlineData(5, "30 03 00 00 00", MqttReasonCode.ProtocolError)] // empty topic without alias
    [InlineData(5, "30 06 00 01 61 05 01 01", MqttReasonCode.MalformedPacket)] // property length past the end
    [InlineData(5, "30 05 00 01 61 01 01", MqttReasonCode.MalformedPacket)] // property value missing
    [InlineData(5, "30 06 00 01 61 02 01 02", MqttReasonCode.ProtocolError)] // payload format indicator 2
    [InlineData(5, "82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 74 04", MqttReasonCode.ProtocolError)] // no-local on a shared subscription
    public void Malformed_input_gives_a_reason_and_the_matching_reason_code(int version, string hex, MqttReasonCode expected)
    {
        var bytes = MqttTestBuffers.Hex(hex);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var status = MqttPacketCodec.TryRead(ref buffer, (MqttProtocolVersion)version, MqttCodecLimits.Default, out var packet, out var error);
        Assert.Equal(MqttReadStatus.Malformed, status);
        Assert.Null(packet);
        Assert.Equal(expected, error.ReasonCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void Configured_limits_are_applied()
    {
        var limits = MqttCodecLimits.Default with { MaxRemainingLength = 8, MaxStringLength = 2, MaxUserProperties = 1, MaxTopicFiltersPerPacket = 1 };
        AssertMalformed("30 09 00 01 61 61 61 61 61 61 61", MqttProtocolVersion.V311, limits, MqttReasonCode.PacketTooLarge);
        AssertMalformed("30 06 00 03 61 2F 62 00", MqttProtocolVersion.V311, limits, MqttReasonCode.PacketTooLarge);
        AssertMalformed("82 08 00 01 00 01 61 00 00 01 62 00", MqttProtocolVersion.V311, limits with { MaxRemainingLength = 100 }, MqttReasonCode.PacketTooLarge);
        AssertMalformed("30 13 00 01 61 0E 26 00 01 61 00 01 62 26 00 01 61 00 01 62 00", MqttProtocolVersion.V500, limits with { MaxRemainingLength = 100 }, MqttReasonCode.PacketTooLarge);
    }

    private static void AssertMalformed(string hex, MqttProtocolVersion version, MqttCodecLimits limits, MqttReasonCode code)
    {
        var buffer = new ReadOnlySequence<byte>(MqttTestBuffers.Hex(hex));
        var status = MqttPacketCodec.TryRead(ref buffer, version, limits, out _, out var error);
        Assert.Equal(MqttReadStatus.Malformed, status);
        Assert.Equal(code, error.ReasonCode);
    }

    [Fact]
    public void Seeded_fuzz_never_throws_or_stalls_and_decoded_packets_re_encode()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("TELECARE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 2000;
        var random = new Random(20261122);
        var fixtures = MqttCodecFixtures.All;
        var decoded = 0;
        for (var i = 0; i < iterations; i++)
        {
            var version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
            byte[] input;
            if (random.Next(4) == 0)
            {
                input = new byte[random.Next(0, 80)];
                random.NextBytes(input);
            }
            else
            {
                var f = fixtures[random.Next(fixtures.Count)];
                input = f.Bytes;
                if (random.Next(2) == 0)
                {
                    version = f.Version;
                }

                var mutations = random.Next(1, 4);
                for (var m = 0; m < mutations && input.Length > 0; m++)
                {
                    switch (random.Next(4))
                    {
                        case 0: input[random.Next(input.Length)] = (byte)random.Next(256); break;
                        case 1: input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8)); break;
                        case 2: input = input[..random.Next(input.Length)]; break;
                        default: input = [.. input, .. fixtures[random.Next(fixtures.Count)].Bytes]; break;
                    }
                }
            }

            var cuts = input.Length > 1 ? new[] { random.Next(1, input.Length) } : [];
            var buffer = MqttTestBuffers.Split(input, cuts);
            for (var guard = 0; ; guard++)
            {
                Assert.True(guard <= input.Length, $"iteration {i}: no progress");
                var before = buffer.Length;
                var status = MqttPacketCodec.TryRead(ref buffer, version, MqttCodecLimits.Default, out var packet, out var error);
                if (status != MqttReadStatus.Packet)
                {
                    Assert.Equal(before, buffer.Length);
                    if (status == MqttReadStatus.Malformed)
                    {
                        Assert.False(string.IsNullOrEmpty(error.Reason));
                    }

                    break;
                }

                Assert.True(buffer.Length < before, $"iteration {i}: packet without consuming bytes");
                decoded++;
                var again = new ReadOnlySequence<byte>(MqttTestBuffers.Encode(packet!, version));
                var reStatus = MqttPacketCodec.TryRead(ref again, version, MqttCodecLimits.Default, out _, out var reError);
                Assert.True(reStatus == MqttReadStatus.Packet, $"iteration {i}: re-encoded {packet!.Type} did not decode: {reError}");
            }
        }

        Assert.True(decoded > 0);
    }
}
