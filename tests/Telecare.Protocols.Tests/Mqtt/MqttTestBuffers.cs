using System.Buffers;

namespace Telecare.Protocols.Tests.Mqtt;

/// <summary>Builds multi-segment sequences so codecs are tested across segment boundaries.</summary>
internal static class MqttTestBuffers
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var cut in cuts.Order())
        {
            pieces.Add(data[start..cut]);
            start = cut;
        }

        pieces.Add(data[start..]);
        Segment? first = null;
        Segment? last = null;
        foreach (var piece in pieces)
        {
            var seg = new Segment(piece);
            if (first is null)
            {
                first = seg;
            }
            else
            {
                last!.Append(seg);
            }

            last = seg;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    public static byte[] Encode(Telecare.Protocols.Mqtt.MqttPacket packet, Telecare.Protocols.Mqtt.MqttProtocolVersion version)
    {
        var w = new ArrayBufferWriter<byte>();
        Telecare.Protocols.Mqtt.MqttPacketCodec.Write(packet, version, w);
        return w.WrittenSpan.ToArray();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
