using Telecare.Protocols.Receivers;
using static Telecare.Protocols.Tests.Receivers.CodecDriver;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class SplitEveryByteTests
{
    public static TheoryData<ReceiverDialect, string> Fixtures()
    {
        var data = new TheoryData<ReceiverDialect, string>();
        foreach (var (name, _) in ReceiverFixtures.SurGard)
        {
            data.Add(ReceiverDialect.SurGardMlr2, name);
        }

        foreach (var (name, _) in ReceiverFixtures.Ademco)
        {
            data.Add(ReceiverDialect.Ademco685, name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Splitting_a_fixture_at_any_byte_gives_the_same_results(ReceiverDialect dialect, string name)
    {
        var codec = ReceiverCodec.Create(dialect);
        var text = (dialect == ReceiverDialect.SurGardMlr2 ? ReceiverFixtures.SurGard : ReceiverFixtures.Ademco)
            .Single(f => f.Name == name).Text;
        var bytes = Bytes(text);

        var whole = ReadAll(codec, bytes);
        Assert.NotEmpty(whole);
        Assert.Contains(whole, r => !r.StartsWith("Malformed", StringComparison.Ordinal));

        for (var split = 1; split < bytes.Length; split++)
        {
            var parts = ReadAll(codec, bytes[..split], bytes[split..]);
            Assert.Equal(whole, parts);
        }

        // One byte at a time, as a slow serial line delivers it.
        var trickle = ReadAll(codec, bytes.Select(b => new[] { b }).ToArray());
        Assert.Equal(whole, trickle);
    }

    [Fact]
    public void Mixed_fixture_gives_the_expected_sequence()
    {
        var codec = new SurGardMlr2Codec();
        var mixed = ReceiverFixtures.SurGard.Single(f => f.Name == "mixed").Text;
        var results = ReadAll(codec, Bytes(mixed));
        Assert.Equal(4, results.Count);
        Assert.StartsWith("Event|ContactId|rx=01|line=1|acct=1234|q=New|code=101", results[0]);
        Assert.StartsWith("Malformed|unrecognised-line|eol=True", results[1]);
        Assert.StartsWith("Heartbeat", results[2]);
        Assert.StartsWith("Event|ContactId|rx=01|line=2|acct=9999|q=New|code=162", results[3]);
    }

    [Fact]
    public void Ademco_mixed_fixture_gives_the_expected_sequence()
    {
        var codec = new Ademco685Codec();
        var mixed = ReceiverFixtures.Ademco.Single(f => f.Name == "mixed").Text;
        var results = ReadAll(codec, Bytes(mixed));
        Assert.Equal(4, results.Count);
        Assert.StartsWith("Event|ContactId|rx=01|line=1|acct=1234|q=New|code=101", results[0]);
        Assert.StartsWith("Malformed|unrecognised-line", results[1]);
        Assert.StartsWith("Heartbeat", results[2]);
        Assert.StartsWith("Event|ContactId|rx=01|line=1|acct=1234|q=New|code=154|sia=|g=2|z=3", results[3]);
    }
}
