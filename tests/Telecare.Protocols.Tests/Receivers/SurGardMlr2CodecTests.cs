using System.Buffers;
using Telecare.Protocols.Receivers;
using static Telecare.Protocols.Tests.Receivers.CodecDriver;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class SurGardMlr2CodecTests
{
    private const string Dc4 = "\u0014";

    private static readonly SurGardMlr2Codec Codec = new();

    [Fact]
    public void Reads_the_documented_contact_id_line()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("5011 181234E10101001" + Dc4));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.True(buffer.IsEmpty);
        Assert.True(r.EndOfLine);
        var f = Assert.IsType<ReceiverFrame>(r.Frame);
        Assert.Equal(ReceiverFrameKind.Event, f.Kind);
        Assert.Equal(ReceiverMessageFormat.ContactId, f.Format);
        Assert.Equal("01", f.Receiver);
        Assert.Equal("1", f.Line);
        Assert.Equal("1234", f.Account);
        Assert.Equal(ContactIdQualifier.New, f.Qualifier);
        Assert.Equal(101, f.EventCode);
        Assert.Equal(1, f.Group);
        Assert.Equal(1, f.Zone);
        Assert.Equal(Bytes("5011 181234E10101001" + Dc4), f.Raw.ToArray());
        Assert.True(f.TryGetContactId(out var report));
        Assert.Equal("123418110101001B", report.ToString());
    }

    [Theory]
    [InlineData("5021 181234R11102003", ContactIdQualifier.Restore, 111, 2, 3)]
    [InlineData("5013 185678P60200000", ContactIdQualifier.StillPresent, 602, 0, 0)]
    [InlineData("5011 98B2C4E16201012", ContactIdQualifier.New, 162, 1, 12)]
    public void Reads_each_qualifier(string line, ContactIdQualifier q, int code, int group, int zone)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(line + Dc4));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.Equal(q, r.Frame!.Qualifier);
        Assert.Equal(code, r.Frame.EventCode);
        Assert.Equal(group, r.Frame.Group);
        Assert.Equal(zone, r.Frame.Zone);
    }

    [Fact]
    public void Reads_a_sia_line()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("3011    001234FA0012" + Dc4));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        var f = r.Frame!;
        Assert.Equal(ReceiverMessageFormat.Sia, f.Format);
        Assert.Equal("001234", f.Account);
        Assert.Equal("FA", f.SiaCode);
        Assert.Equal(12, f.Zone);
        Assert.Null(f.Qualifier);
        Assert.False(f.TryGetContactId(out _));
    }

    [Fact]
    public void Reads_the_heartbeat()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("1011" + new string(' ', 11) + "@" + new string(' ', 4) + Dc4));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.Equal(ReceiverFrameKind.Heartbeat, r.Frame!.Kind);
        Assert.Equal("01", r.Frame.Receiver);
        Assert.Equal("1", r.Frame.Line);
        Assert.Equal(21, r.Frame.Raw.Length);
    }

    [Fact]
    public void Glued_copies_of_one_message_give_one_frame()
    {
        var results = ReadAll(Codec, Bytes("5011 181234E10101001" + "5011 181234E10101001" + Dc4));
        var only = Assert.Single(results);
        Assert.Contains("copies=2", only);
        Assert.Contains("eol=True", only);
        Assert.Contains("raw=5011 181234E10101001<DC4>", only);
    }

    [Fact]
    public void Glued_copies_with_separators_and_a_different_message_behind_them()
    {
        var results = ReadAll(Codec, Bytes("5011 181234E10101001\r\n5011 181234E10101001 5011 181234R10101001" + Dc4));
        Assert.Equal(2, results.Count);
        Assert.Contains("q=New", results[0]);
        Assert.Contains("copies=2", results[0]);
        Assert.Contains("eol=False", results[0]);
        Assert.Contains("q=Restore", results[1]);
        Assert.Contains("eol=True", results[1]);
    }

    [Fact]
    public void Leading_noise_is_skipped()
    {
        var results = ReadAll(Codec, Bytes("\0\u00ff#5x55011 181234E10101001" + Dc4));
        var only = Assert.Single(results);
        Assert.StartsWith("Event|ContactId|rx=01|line=1|acct=1234|q=New|code=101", only);
        Assert.Contains("raw=5011 181234E10101001<DC4>", only);
    }

    [Theory]
    [InlineData("garbage", "unrecognised-line")]
    [InlineData("5011 181234X10101001", "unrecognised-line")]
    [InlineData("5011 181234E1010100", "unrecognised-line")]
    [InlineData("\r\n", "empty-line")]
    [InlineData("", "empty-line")]
    public void Bad_lines_are_malformed_with_a_reason_and_consumed(string line, string reason)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(line + Dc4 + "5011 181234E10101001" + Dc4));
        Assert.True(Codec.TryRead(ref buffer, out var r));
        Assert.Equal(reason, r.Malformed!.Reason);
        Assert.True(r.EndOfLine);
        Assert.Equal(line.Length + 1, r.Malformed.Raw.Length);
        Assert.True(Codec.TryRead(ref buffer, out r));
        Assert.Equal(101, r.Frame!.EventCode);
    }

    [Fact]
    public void Needs_more_data_until_the_terminator()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("5011 181234E10101001"));
        Assert.False(Codec.TryRead(ref buffer, out _));
        Assert.Equal(20, buffer.Length);
    }

    [Fact]
    public void An_unterminated_stream_is_cut_at_the_limit_and_the_message_after_it_survives()
    {
        var codec = new SurGardMlr2Codec(maxLineLength: 128);
        var noise = new string('x', 1000);
        var results = ReadAll(codec, Bytes(noise), Bytes("5011 181234E10101001" + Dc4));
        Assert.All(results.Take(results.Count - 1), r => Assert.StartsWith("Malformed|line-too-long|eol=False", r));
        Assert.True(results.Count >= 1000 / 128);
        Assert.StartsWith("Event|ContactId", results[^1]);

        // Nothing is ever held beyond the limit.
        var buffer = new ReadOnlySequence<byte>(Bytes(noise));
        while (codec.TryRead(ref buffer, out _))
        {
        }

        Assert.True(buffer.Length < codec.MaxLineLength);
    }

    [Fact]
    public void Ack_and_nak_are_single_bytes()
    {
        var w = new ArrayBufferWriter<byte>();
        Codec.WriteAck(w);
        Codec.WriteNak(w);
        Assert.Equal(new byte[] { 0x06, 0x15 }, w.WrittenSpan.ToArray());
    }
}
