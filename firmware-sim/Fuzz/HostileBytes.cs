using System.Buffers;
using System.Text;
using Telecare.FirmwareSim.Receiver;
using Telecare.Protocols.Mqtt;
using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// Seeded hostile input built from valid input: packets and lines written by our own encoders, then bytes set,
/// flipped, cut, spliced and repeated, or plain noise. Mutating valid input reaches far deeper into a codec than
/// random bytes, which fail on the first header byte.
/// </summary>
public static class HostileBytes
{
    /// <summary>The events a demo device may publish, for PUBLISH payloads that pass the codec and reach the JSON parser.</summary>
    private const string EventJson = """{"seq":7,"ts":"2026-11-22T03:12:09Z","type":"pendant.press","restore":false,"battery":87,"rssi":-71,"data":{"room":"hall"}}""";

    /// <summary>One of every MQTT packet type, with every optional part filled in (properties only where v5 allows them).</summary>
    public static IReadOnlyList<MqttPacket> MqttSeeds(string deviceId, string secret, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        MqttProperties P(MqttProperties p) => v5 ? p : MqttProperties.Empty;
        var user = new[] { new MqttUserProperty("site", "fuzz") };
        var eventTopic = $"telecare/v1/{deviceId}/event";
        return
        [
            new MqttConnectPacket(version, deviceId, CleanStart: false, KeepAliveSeconds: 30)
            {
                Username = deviceId,
                Password = Encoding.UTF8.GetBytes(secret),
                Will = new MqttWill($"telecare/v1/{deviceId}/status", "offline"u8.ToArray(), MqttQos.AtLeastOnce, Retain: true)
                {
                    Properties = P(new MqttProperties { WillDelayInterval = 5, ContentType = "text/plain" }),
                },
                Properties = P(new MqttProperties { SessionExpiryInterval = 60, ReceiveMaximum = 8, MaximumPacketSize = 4096, TopicAliasMaximum = 4, UserProperties = user }),
            },
            new MqttPublishPacket(eventTopic, Encoding.UTF8.GetBytes(EventJson), MqttQos.AtLeastOnce, Retain: false)
            {
                PacketId = 1,
                Properties = P(new MqttProperties { TopicAlias = 1, MessageExpiryInterval = 30, PayloadFormatIndicator = 1, UserProperties = user }),
            },
            new MqttPublishPacket(eventTopic, Encoding.UTF8.GetBytes(EventJson), MqttQos.ExactlyOnce, Retain: false) { PacketId = 2 },
            new MqttPublishPacket($"telecare/v1/{deviceId}/heartbeat", """{"battery":80}"""u8.ToArray(), MqttQos.AtMostOnce, Retain: false),
            new MqttPublishPacket("telecare/v1/someone-else/event", Encoding.UTF8.GetBytes(EventJson), MqttQos.AtLeastOnce, Retain: true) { PacketId = 3 },
            new MqttPubAckPacket(4),
            new MqttPubRecPacket(5),
            new MqttPubRelPacket(2),
            new MqttPubCompPacket(6),
            new MqttSubscribePacket(7, [new MqttSubscription($"telecare/v1/{deviceId}/ack", MqttQos.AtLeastOnce), new MqttSubscription("#", MqttQos.ExactlyOnce)]),
            new MqttUnsubscribePacket(8, [$"telecare/v1/{deviceId}/ack", "$SYS/#"]),
            new MqttPingReqPacket(),
            new MqttConnAckPacket(SessionPresent: false, MqttReasonCode.Success),
            new MqttSubAckPacket(9, [MqttReasonCode.GrantedQos1]),
            new MqttUnsubAckPacket(10, v5 ? [MqttReasonCode.Success] : []),
            new MqttPingRespPacket(),
            new MqttDisconnectPacket(),
            .. v5 ? new MqttPacket[] { new MqttAuthPacket(MqttReasonCode.ContinueAuthentication) { Properties = new MqttProperties { AuthenticationMethod = "x" } } } : [],
        ];
    }

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketCodec.Write(packet, version, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Receiver lines as they come down the wire (terminators included): events, restores, test reports, glued copies,
    /// heartbeats. Accounts 2000 and up, so they never equal a line of the soak's receiver (accounts 1000 and up).
    /// </summary>
    public static IReadOnlyList<byte[]> ReceiverSeeds(ReceiverDialect dialect)
    {
        var options = new ReceiverEmulatorOptions { Dialect = dialect };
        var events = new[]
        {
            new ReceiverEmulatorEvent("2000", ContactIdQualifier.New, 101),
            new ReceiverEmulatorEvent("2001", ContactIdQualifier.Restore, 111, Group: 2, Zone: 15),
            new ReceiverEmulatorEvent("2234", ContactIdQualifier.StillPresent, 602, Zone: 999),
            new ReceiverEmulatorEvent("9999", ContactIdQualifier.New, 401, ZoneIsUser: true) { Copies = 3 },
        };
        return
        [
            .. events.Select(e => ReceiverLineFormatter.Frame(dialect, ReceiverLineFormatter.EventText(options, e), e.Copies)),
            ReceiverLineFormatter.Frame(dialect, ReceiverLineFormatter.HeartbeatText(options)),
        ];
    }

    /// <summary>One to three of: a byte set or flipped, the input cut short, another seed spliced on, a run repeated, noise inserted.</summary>
    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var bytes = input;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(7))
            {
                case 0 when bytes.Length > 0:
                    bytes = (byte[])bytes.Clone();
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Length > 0:
                    bytes = (byte[])bytes.Clone();
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2 when bytes.Length > 0:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 3:
                    bytes = [.. bytes, .. seeds[random.Next(seeds.Count)]];
                    break;
                case 4 when bytes.Length > 1:
                    var start = random.Next(bytes.Length - 1);
                    var run = bytes.AsSpan(start, random.Next(1, Math.Min(64, bytes.Length - start))).ToArray();
                    bytes = [.. bytes[..start], .. Enumerable.Repeat(run, random.Next(2, 20)).SelectMany(r => r), .. bytes[start..]];
                    break;
                case 5:
                    // Length fields are where codecs go wrong: the extremes of a byte or a variable-length integer.
                    bytes = (byte[])bytes.Clone();
                    if (bytes.Length > 1)
                    {
                        bytes[random.Next(1, bytes.Length)] = random.Next(3) switch { 0 => 0x00, 1 => 0x7F, _ => 0xFF };
                    }

                    break;
                default:
                    var at = random.Next(bytes.Length + 1);
                    bytes = [.. bytes[..at], .. Noise(random, 32), .. bytes[at..]];
                    break;
            }
        }

        return bytes;
    }

    public static byte[] Noise(Random random, int maxLength)
    {
        var noise = new byte[random.Next(1, maxLength + 1)];
        random.NextBytes(noise);
        return noise;
    }
}
