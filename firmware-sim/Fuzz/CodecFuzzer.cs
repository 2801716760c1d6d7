using System.Buffers;
using Telecare.Protocols.Mqtt;
using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// The pure codecs, in this process, as fast as they go: MQTT 3.1.1 and 5 packets, Sur-Gard and Ademco lines, Contact
/// ID reports. Input arrives in random pieces, as from a socket. Any exception is a failure, as is a read that makes
/// no progress or a receiver codec that holds more than its line limit; a hang is caught by the runner's watchdog.
/// </summary>
public sealed class CodecFuzzer(Random random)
{
    private static readonly MqttCodecLimits Limits = new();
    private readonly byte[] _contactIdAlphabet = "0123456789ABCDEF #"u8.ToArray();

    public FuzzTally Mqtt { get; } = new("mqtt codec");

    public FuzzTally Receivers { get; } = new("receiver codecs");

    public FuzzTally ContactIds { get; } = new("contact id");

    public void Run(CancellationToken stop)
    {
        var mqttSeeds = new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 }.ToDictionary(v => v,
            v => (IReadOnlyList<byte[]>)[.. HostileBytes.MqttSeeds("pendant-001", "demo-secret-pendant-001", v).Select(p => HostileBytes.Encode(p, v))]);
        var receiverSeeds = new[] { ReceiverDialect.SurGardMlr2, ReceiverDialect.Ademco685 }.ToDictionary(d => d, HostileBytes.ReceiverSeeds);
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < 1000; i++)
            {
                var version = random.Next(2) == 0 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
                Guard(Mqtt, Input(mqttSeeds[version]), input => ReadMqtt(input, version));
                var dialect = random.Next(2) == 0 ? ReceiverDialect.SurGardMlr2 : ReceiverDialect.Ademco685;
                Guard(Receivers, Input(receiverSeeds[dialect]), input => ReadReceiver(input, dialect));
                Guard(ContactIds, ContactIdText(), ReadContactId);
            }
        }
    }

    private byte[] Input(IReadOnlyList<byte[]> seeds) =>
        random.Next(8) == 0 ? HostileBytes.Noise(random, 300) : HostileBytes.Mutate(seeds[random.Next(seeds.Count)], seeds, random);

    private static void Guard(FuzzTally tally, byte[] input, Func<byte[], string?> read)
    {
        tally.Begin(input);
        try
        {
            if (read(input) is { } problem)
            {
                tally.Fail($"{problem} on: {FuzzTally.Describe(input)}");
            }
        }
        catch (Exception e)
        {
            tally.Fail($"{e.GetType().Name}: {e.Message} on: {FuzzTally.Describe(input)}");
        }
        finally
        {
            tally.End();
        }
    }

    /// <returns>A broken rule of the codec's contract, or null. A malformed packet ends the input, as it ends a connection.</returns>
    private string? ReadMqtt(byte[] input, MqttProtocolVersion version)
    {
        var held = Array.Empty<byte>();
        var offset = 0;
        while (offset < input.Length)
        {
            var take = Math.Min(input.Length - offset, random.Next(1, 128));
            var buffer = new ReadOnlySequence<byte>([.. held, .. input.AsSpan(offset, take)]);
            offset += take;
            while (true)
            {
                var before = buffer.Length;
                var status = MqttPacketCodec.TryRead(ref buffer, version, Limits, out var packet, out var error);
                if (status == MqttReadStatus.Malformed)
                {
                    Mqtt.CountRefused();
                    return string.IsNullOrEmpty(error.Reason) ? "a malformed packet without a reason" : null;
                }

                if (status == MqttReadStatus.NeedMoreData)
                {
                    break;
                }

                if (buffer.Length >= before || packet is null)
                {
                    return "a packet read that consumed nothing";
                }

                // Whatever the codec accepts, it must be able to write back.
                MqttPacketCodec.Write(packet, version, new ArrayBufferWriter<byte>());
            }

            held = buffer.ToArray();
        }

        return null;
    }

    private string? ReadReceiver(byte[] input, ReceiverDialect dialect)
    {
        var codec = ReceiverCodec.Create(dialect, maxLineLength: 128);
        var held = Array.Empty<byte>();
        var offset = 0;
        while (offset < input.Length)
        {
            var take = Math.Min(input.Length - offset, random.Next(1, 64));
            var buffer = new ReadOnlySequence<byte>([.. held, .. input.AsSpan(offset, take)]);
            offset += take;
            while (codec.TryRead(ref buffer, out var result))
            {
                if (result.Malformed is { } malformed)
                {
                    Receivers.CountRefused();
                    if (string.IsNullOrEmpty(malformed.Reason))
                    {
                        return "a malformed line without a reason";
                    }
                }
            }

            if (buffer.Length >= codec.MaxLineLength)
            {
                return $"held {buffer.Length} bytes, over the {codec.MaxLineLength}-byte line limit";
            }

            held = buffer.ToArray();
        }

        return null;
    }

    /// <summary>Half the time a valid report from random fields (with a byte changed, half of those); otherwise random text.</summary>
    private byte[] ContactIdText()
    {
        if (random.Next(2) == 0)
        {
            var report = new ContactIdReport(random.Next(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                random.Next(2) == 0 ? 18 : 98, (ContactIdQualifier)new[] { 1, 3, 6 }[random.Next(3)], random.Next(1000), random.Next(100), random.Next(1000));
            var valid = System.Text.Encoding.ASCII.GetBytes(ContactId.Format(report));
            if (random.Next(2) == 0)
            {
                valid[random.Next(valid.Length)] = _contactIdAlphabet[random.Next(_contactIdAlphabet.Length)];
            }

            return valid;
        }

        var text = new byte[random.Next(0, 20)];
        for (var j = 0; j < text.Length; j++)
        {
            text[j] = random.Next(4) == 0 ? (byte)random.Next(256) : _contactIdAlphabet[random.Next(_contactIdAlphabet.Length)];
        }

        return text;
    }

    private string? ReadContactId(byte[] text)
    {
        if (ContactId.TryParse(text, out _, out var error))
        {
            return text.Length == ContactId.ReportLength && !ContactId.IsChecksumValid(text) ? "a report with a bad checksum accepted" : null;
        }

        ContactIds.CountRefused();
        return string.IsNullOrEmpty(error?.Reason) ? "a refusal without a reason" : null;
    }
}
