using System.Buffers;
using Telecare.Protocols.Receivers;
using static Telecare.Protocols.Tests.Receivers.CodecDriver;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class Ademco685CodecTests
{
    private static readonly Ademco685Codec Codec = new();

    [Fact]
    public void Reads_a_contact_id_zone_line()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("\n011 1234 18 1101 01 C001\r"));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.True(buffer.IsEmpty);
        var f = r.Frame!;
        Assert.Equal(ReceiverFrameKind.Event, f.Kind);
        Assert.Equal("01", f.Receiver);
        Assert.Equal("1", f.Line);
        Assert.Equal("1234", f.Account);
        Assert.Equal(ContactIdQualifier.New, f.Qualifier);
        Assert.Equal(101, f.EventCode);
        Assert.Equal(1, f.Group);
        Assert.Equal(1, f.Zone);
        Assert.False(f.ZoneIsUser);
        Assert.Equal(Bytes("011 1234 18 1101 01 C001\r"), f.Raw.ToArray());
    }

    [Fact]
    public void Reads_a_user_restore()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("\n022 5678 18 3401 02 U015\r"));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.Equal(ContactIdQualifier.Restore, r.Frame!.Qualifier);
        Assert.Equal(401, r.Frame.EventCode);
        Assert.True(r.Frame.ZoneIsUser);
        Assert.Equal(15, r.Frame.Zone);
        Assert.Equal("02", r.Frame.Receiver);
        Assert.Equal("2", r.Frame.Line);
    }

    [Fact]
    public void Reads_the_heartbeat_and_a_link_test()
    {
        var results = ReadAll(Codec, Bytes("\n00 OKAY @ \r\n\r"));
        Assert.Equal(2, results.Count);
        Assert.StartsWith("Heartbeat|None|rx=00", results[0]);
        Assert.StartsWith("LinkTest", results[1]);
    }

    [Fact]
    public void Glued_retransmission_and_noise()
    {
        var results = ReadAll(Codec, Bytes("\u0007zz\n011 1234 18 1101 01 C001\n011 1234 18 1101 01 C001\r"));
        var only = Assert.Single(results);
        Assert.Contains("copies=2", only);
        Assert.Contains("raw=011 1234 18 1101 01 C001<CR>", only);
    }

    [Theory]
    [InlineData("\n011 1234 18 7101 01 C001\r", "unrecognised-line")]
    [InlineData("\nhello\r", "unrecognised-line")]
    public void Bad_lines_are_malformed(string text, string reason)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(text));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.Equal(reason, r.Malformed!.Reason);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void An_unterminated_line_is_cut()
    {
        var codec = new Ademco685Codec(maxLineLength: 128);
        var buffer = new ReadOnlySequence<byte>(new byte[5000]);
        var cuts = 0;
        while (codec.TryRead(ref buffer, out var r))
        {
            Assert.Equal("line-too-long", r.Malformed!.Reason);
            cuts++;
        }

        Assert.True(cuts > 0);
        Assert.True(buffer.Length < 128);
    }
}
