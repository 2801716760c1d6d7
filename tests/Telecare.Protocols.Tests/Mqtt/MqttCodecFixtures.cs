using System.Text;
using Telecare.Protocols.Mqtt;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>
/// Golden packets with their bytes computed by hand from OASIS MQTT 3.1.1 (2014) and 5.0 (2019),
/// one or more per packet type and version.
/// </summary>
internal static class MqttCodecFixtures
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    public sealed record Fixture(string Name, MqttProtocolVersion Version, MqttPacket Packet, string Hex)
    {
        public byte[] Bytes => MqttTestBuffers.Hex(Hex);

        public override string ToString() => Name;
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static IReadOnlyList<Fixture> All { get; } =
    [
        new("v3 connect minimal", V3, new MqttConnectPacket(V3, "c1", true, 0),
            "10 0E 00 04 4D 51 54 54 04 02 00 00 00 02 63 31"),
        new("v3 connect will user password", V3,
            new MqttConnectPacket(V3, "c1", true, 60)
            {
                Username = "dev1",
                Password = B("pw"),
                Will = new MqttWill("w/t", B("off"), MqttQos.AtLeastOnce, true),
            },
            "10 22 00 04 4D 51 54 54 04 EE 00 3C 00 02 63 31 00 03 77 2F 74 00 03 6F 66 66 00 04 64 65 76 31 00 02 70 77"),
        new("v5 connect properties and will properties", V5,
            new MqttConnectPacket(V5, "c1", true, 30)
            {
                Username = "u",
                Password = B("p"),
                Properties = new MqttProperties
                {
                    SessionExpiryInterval = 3600,
                    ReceiveMaximum = 20,
                    UserProperties = [new("k", "v")],
                },
                Will = new MqttWill("w", B("x"), MqttQos.AtMostOnce, false)
                {
                    Properties = new MqttProperties { PayloadFormatIndicator = 1, WillDelayInterval = 5 },
                },
            },
            "10 32 00 04 4D 51 54 54 05 C6 00 1E 0F 11 00 00 0E 10 21 00 14 26 00 01 6B 00 01 76 00 02 63 31 07 01 01 18 00 00 00 05 00 01 77 00 01 78 00 01 75 00 01 70"),
        new("v3 connack session present", V3, new MqttConnAckPacket(true, MqttReasonCode.Success), "20 02 01 00"),
        new("v3 connack refused not authorised", V3, new MqttConnAckPacket(false, (MqttReasonCode)5), "20 02 00 05"),
        new("v5 connack properties", V5,
            new MqttConnAckPacket(false, MqttReasonCode.Success)
            {
                Properties = new MqttProperties { AssignedClientIdentifier = "ab", ReceiveMaximum = 10, TopicAliasMaximum = 5 },
            },
            "20 0E 00 00 0B 12 00 02 61 62 21 00 0A 22 00 05"),
        new("v5 connack bad user name or password", V5, new MqttConnAckPacket(false, MqttReasonCode.BadUserNameOrPassword), "20 03 00 86 00"),
        new("v3 publish qos0", V3, new MqttPublishPacket("a/b", B("hi"), MqttQos.AtMostOnce, false), "30 07 00 03 61 2F 62 68 69"),
        new("v3 publish qos1 dup retain", V3,
            new MqttPublishPacket("a/b", B("hi"), MqttQos.AtLeastOnce, true) { Dup = true, PacketId = 10 },
            "3B 09 00 03 61 2F 62 00 0A 68 69"),
        new("v3 publish qos2 empty payload", V3,
            new MqttPublishPacket("t", ReadOnlyMemory<byte>.Empty, MqttQos.ExactlyOnce, false) { PacketId = 0x1234 },
            "34 05 00 01 74 12 34"),
        new("v5 publish qos1 properties", V5,
            new MqttPublishPacket("t/1", B("{}"), MqttQos.AtLeastOnce, false)
            {
                PacketId = 1,
                Properties = new MqttProperties
                {
                    PayloadFormatIndicator = 1,
                    MessageExpiryInterval = 60,
                    ContentType = "json",
                    ResponseTopic = "r",
                    CorrelationData = new byte[] { 0xCA, 0xFE },
                    TopicAlias = 3,
                    UserProperties = [new("a", "b")],
                },
            },
            "32 2B 00 03 74 2F 31 00 01 21 01 01 02 00 00 00 3C 03 00 04 6A 73 6F 6E 08 00 01 72 09 00 02 CA FE 23 00 03 26 00 01 61 00 01 62 7B 7D"),
        new("v5 publish topic alias only", V5,
            new MqttPublishPacket("", B("x"), MqttQos.AtMostOnce, false) { Properties = new MqttProperties { TopicAlias = 3 } },
            "30 07 00 00 03 23 00 03 78"),
        new("v5 publish subscription identifier", V5,
            new MqttPublishPacket("a", ReadOnlyMemory<byte>.Empty, MqttQos.AtMostOnce, false) { Properties = new MqttProperties { SubscriptionIdentifiers = [200] } },
            "30 07 00 01 61 03 0B C8 01"),
        new("v3 puback", V3, new MqttPubAckPacket(10), "40 02 00 0A"),
        new("v3 pubrec", V3, new MqttPubRecPacket(10), "50 02 00 0A"),
        new("v3 pubrel", V3, new MqttPubRelPacket(10), "62 02 00 0A"),
        new("v3 pubcomp", V3, new MqttPubCompPacket(10), "70 02 00 0A"),
        new("v5 puback success short form", V5, new MqttPubAckPacket(10), "40 02 00 0A"),
        new("v5 puback payload format invalid", V5, new MqttPubAckPacket(10, MqttReasonCode.PayloadFormatInvalid), "40 03 00 0A 99"),
        new("v5 puback reason string", V5,
            new MqttPubAckPacket(10, MqttReasonCode.PayloadFormatInvalid) { Properties = new MqttProperties { ReasonString = "bad" } },
            "40 0A 00 0A 99 06 1F 00 03 62 61 64"),
        new("v5 pubrec no matching subscribers", V5, new MqttPubRecPacket(11, MqttReasonCode.NoMatchingSubscribers), "50 03 00 0B 10"),
        new("v5 pubrel packet id not found", V5, new MqttPubRelPacket(11, MqttReasonCode.PacketIdentifierNotFound), "62 03 00 0B 92"),
        new("v5 pubcomp", V5, new MqttPubCompPacket(11), "70 02 00 0B"),
        new("v3 subscribe", V3,
            new MqttSubscribePacket(1, [new MqttSubscription("a/+", MqttQos.AtLeastOnce), new MqttSubscription("b/#", MqttQos.ExactlyOnce)]),
            "82 0E 00 01 00 03 61 2F 2B 01 00 03 62 2F 23 02"),
        new("v5 subscribe options shared", V5,
            new MqttSubscribePacket(2,
            [
                new MqttSubscription("$share/g/t", MqttQos.AtLeastOnce) { RetainAsPublished = true, RetainHandling = MqttRetainHandling.DoNotSend },
                new MqttSubscription("x", MqttQos.AtMostOnce) { NoLocal = true, RetainHandling = MqttRetainHandling.SendAtSubscribeIfNew },
            ])
            { Properties = new MqttProperties { SubscriptionIdentifiers = [5] } },
            "82 16 00 02 02 0B 05 00 0A 24 73 68 61 72 65 2F 67 2F 74 29 00 01 78 14"),
        new("v3 suback", V3, new MqttSubAckPacket(1, [MqttReasonCode.GrantedQos1, MqttReasonCode.UnspecifiedError]), "90 04 00 01 01 80"),
        new("v5 suback", V5,
            new MqttSubAckPacket(2, [MqttReasonCode.GrantedQos1, MqttReasonCode.TopicFilterInvalid]) { Properties = new MqttProperties { ReasonString = "ok" } },
            "90 0A 00 02 05 1F 00 02 6F 6B 01 8F"),
        new("v3 unsubscribe", V3, new MqttUnsubscribePacket(3, ["a/+"]), "A2 07 00 03 00 03 61 2F 2B"),
        new("v5 unsubscribe user property", V5,
            new MqttUnsubscribePacket(3, ["a"]) { Properties = new MqttProperties { UserProperties = [new("k", "v")] } },
            "A2 0D 00 03 07 26 00 01 6B 00 01 76 00 01 61"),
        new("v3 unsuback", V3, new MqttUnsubAckPacket(3, []), "B0 02 00 03"),
        new("v5 unsuback", V5, new MqttUnsubAckPacket(3, [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted]), "B0 05 00 03 00 00 11"),
        new("v3 pingreq", V3, MqttPingReqPacket.Instance, "C0 00"),
        new("v3 pingresp", V3, MqttPingRespPacket.Instance, "D0 00"),
        new("v5 pingreq", V5, MqttPingReqPacket.Instance, "C0 00"),
        new("v5 pingresp", V5, MqttPingRespPacket.Instance, "D0 00"),
        new("v3 disconnect", V3, new MqttDisconnectPacket(), "E0 00"),
        new("v5 disconnect normal", V5, new MqttDisconnectPacket(), "E0 00"),
        new("v5 disconnect with will", V5, new MqttDisconnectPacket(MqttReasonCode.DisconnectWithWillMessage), "E0 01 04"),
        new("v5 disconnect session expiry", V5,
            new MqttDisconnectPacket { Properties = new MqttProperties { SessionExpiryInterval = 0 } },
            "E0 07 00 05 11 00 00 00 00"),
        new("v5 auth success", V5, new MqttAuthPacket(), "F0 00"),
        new("v5 auth continue", V5,
            new MqttAuthPacket(MqttReasonCode.ContinueAuthentication)
            {
                Properties = new MqttProperties { AuthenticationMethod = "SCRAM", AuthenticationData = new byte[] { 1 } },
            },
            "F0 0E 18 0C 15 00 05 53 43 52 41 4D 16 00 01 01"),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var f in All)
        {
            data.Add(f.Name);
        }

        return data;
    }

    public static Fixture Get(string name) => All.Single(f => f.Name == name);
}
