using System.Buffers;
using System.Text;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class ReceiverConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Reads_frames_across_writes_and_sends_ack_and_nak()
    {
        var link = new DuplexPipePair();
        var connection = new ReceiverConnection(link.A, new SurGardMlr2Codec());
        var receiver = link.B;

        var reading = connection.ReadAsync().AsTask();
        await receiver.Output.WriteAsync(Encoding.ASCII.GetBytes("5011 181234E1"));
        Assert.False(reading.IsCompleted);
        await receiver.Output.WriteAsync(Encoding.ASCII.GetBytes("0101001\u0014bad\u0014"));
        var first = await reading.WaitAsync(Wait);
        Assert.Equal(101, first!.Value.Frame!.EventCode);
        Assert.True(first.Value.EndOfLine);
        await connection.AcknowledgeAsync();

        var second = await connection.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("unrecognised-line", second!.Value.Malformed!.Reason);
        await connection.RejectAsync();

        var replies = await receiver.Input.ReadAsync();
        Assert.Equal(new byte[] { 0x06, 0x15 }, replies.Buffer.ToArray());
        receiver.Input.AdvanceTo(replies.Buffer.End);

        // A stream that ends in the middle of a line says so, then reports the end.
        await receiver.Output.WriteAsync(Encoding.ASCII.GetBytes("5011 18"));
        await receiver.Output.CompleteAsync();
        var truncated = await connection.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("truncated-at-end", truncated!.Value.Malformed!.Reason);
        Assert.Null(await connection.ReadAsync().AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task A_frame_maps_to_the_event_vocabulary_per_account()
    {
        var link = new DuplexPipePair();
        var connection = new ReceiverConnection(link.A, ReceiverCodec.Create(ReceiverDialect.Ademco685));
        await link.B.Output.WriteAsync(Encoding.ASCII.GetBytes("\n011 1234 18 1120 01 C002\r\n011 5678 18 1120 01 C002\r"));

        var maps = new ContactIdEventMapSet(accounts: new Dictionary<string, ContactIdEventMap> { ["1234"] = ContactIdEventMap.TelecareHub });
        var names = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var frame = (await connection.ReadAsync().AsTask().WaitAsync(Wait))!.Value.Frame!;
            Assert.True(frame.TryGetContactId(out var report));
            Assert.Equal(18, report.MessageType);
            Assert.True(maps.TryMap("rx-1", report.Account, report.EventCode, report.Qualifier, out var e));
            names.Add(e.EventName);
        }

        Assert.Equal(["fall.detected", "pendant.press"], names);
    }
}
