using System.Buffers;
using System.Globalization;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>
/// Seeded fuzz: random bytes and mutated fixtures, delivered in random pieces. The codec must never
/// throw, always make progress, and never hold more than its line limit.
/// Iterations come from TELECARE_FUZZ_ITERATIONS (default 2000).
/// </summary>
public sealed class ReceiverCodecFuzzTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("TELECARE_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : 2000;

    [Theory]
    [InlineData(ReceiverDialect.SurGardMlr2, 1234)]
    [InlineData(ReceiverDialect.Ademco685, 5678)]
    public void Random_and_mutated_input_never_throws_or_stalls(ReceiverDialect dialect, int seed)
    {
        var random = new Random(seed);
        var codec = ReceiverCodec.Create(dialect, maxLineLength: 128);
        var fixtures = (dialect == ReceiverDialect.SurGardMlr2 ? ReceiverFixtures.SurGard : ReceiverFixtures.Ademco)
            .Select(f => CodecDriver.Bytes(f.Text)).ToArray();
        var terminator = dialect == ReceiverDialect.SurGardMlr2 ? (byte)0x14 : (byte)0x0D;
        var frames = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var input = Generate(random, fixtures, terminator);
            var pending = Array.Empty<byte>();
            var offset = 0;
            while (offset < input.Length)
            {
                var take = Math.Min(input.Length - offset, random.Next(1, 64));
                var buffer = Sequence(pending, input.AsSpan(offset, take).ToArray());
                offset += take;
                var steps = 0;
                while (true)
                {
                    var before = buffer.Length;
                    if (!codec.TryRead(ref buffer, out var r))
                    {
                        Assert.Equal(before, buffer.Length);
                        break;
                    }

                    Assert.True(buffer.Length < before, $"seed {seed} iteration {i}: a result consumed nothing");
                    Assert.True(r.Frame is not null ^ r.Malformed is not null);
                    if (r.Frame is { } f)
                    {
                        frames++;
                        Assert.False(f.Raw.IsEmpty);
                    }

                    Assert.True(++steps <= input.Length + 1, $"seed {seed} iteration {i}: too many results");
                }

                Assert.True(buffer.Length < codec.MaxLineLength, $"seed {seed} iteration {i}: held {buffer.Length} bytes");
                pending = buffer.ToArray();
            }
        }

        Assert.True(frames > 0, "the mutated fixtures should still yield some frames");
    }

    [Fact]
    public void Contact_id_parsing_never_throws_and_accepts_only_valid_checksums()
    {
        var random = new Random(42);
        var alphabet = "0123456789ABCDEF #"u8.ToArray();
        var accepted = 0;
        for (var i = 0; i < Iterations * 10; i++)
        {
            var text = new byte[random.Next(0, 20)];
            for (var j = 0; j < text.Length; j++)
            {
                text[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            if (ContactId.TryParse(text, out var report, out var error))
            {
                accepted++;
                Assert.Null(error);
                Assert.True(text.Length == 15 || ContactId.IsChecksumValid(text));
                Assert.Equal(report.Account, System.Text.Encoding.ASCII.GetString(text, 0, 4));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error!.Reason));
            }
        }

        // Valid reports built from random fields always parse back.
        for (var i = 0; i < Iterations; i++)
        {
            var r = new ContactIdReport(
                random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture),
                random.Next(2) == 0 ? 18 : 98,
                (ContactIdQualifier)new[] { 1, 3, 6 }[random.Next(3)],
                random.Next(1000), random.Next(100), random.Next(1000));
            var text = ContactId.Format(r);
            Assert.True(ContactId.TryParse(text, out var back, out var error), $"{text}: {error}");
            Assert.Equal(r with { Checksum = text[^1] }, back);
        }
    }

    private static byte[] Generate(Random random, byte[][] fixtures, byte terminator)
    {
        var output = new List<byte>();
        var pieces = random.Next(1, 6);
        for (var p = 0; p < pieces; p++)
        {
            switch (random.Next(5))
            {
                case 0:
                    var noise = new byte[random.Next(0, 300)];
                    random.NextBytes(noise);
                    output.AddRange(noise);
                    break;
                case 1:
                    var fixture = (byte[])fixtures[random.Next(fixtures.Length)].Clone();
                    for (var m = random.Next(0, 4); m > 0; m--)
                    {
                        fixture[random.Next(fixture.Length)] = (byte)random.Next(256);
                    }

                    output.AddRange(fixture);
                    break;
                case 2:
                    var cut = fixtures[random.Next(fixtures.Length)];
                    output.AddRange(cut.AsSpan(0, random.Next(cut.Length)).ToArray());
                    break;
                case 3:
                    output.Add(terminator);
                    break;
                default:
                    output.AddRange(fixtures[random.Next(fixtures.Length)]);
                    break;
            }
        }

        return output.ToArray();
    }

    private static ReadOnlySequence<byte> Sequence(byte[] a, byte[] b) => SequenceOf.Segments(a, b);
}
