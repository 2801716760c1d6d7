using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Telecare.FirmwareSim.Receiver;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>The emulator's timing on a manual clock over in-memory pipes: no sleeping, no wall clock.</summary>
public sealed class ReceiverEmulatorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Resends_after_4_s_of_silence_and_on_NAK_3_times_then_buffers_and_retries()
    {
        var clock = new ManualTimeProvider();
        var link = new DuplexPipePair();
        var options = new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.Zero };
        var emulator = new ReceiverEmulator(link.A, options, clock);
        using var cts = new CancellationTokenSource();
        var run = emulator.RunAsync(cts.Token);
        var computer = link.B;

        Assert.True(emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101)));
        const string line = "5011 181234E10101001\u0014";
        Assert.Equal(line, await ReadLineAsync(computer.Input, 0x14));

        // Just under the ACK timeout nothing is sent again; at 4 s the line is repeated.
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromMilliseconds(3999));
        Assert.Equal(1, emulator.Transmissions);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(line, await ReadLineAsync(computer.Input, 0x14));

        // NAK: sent again at once.
        await computer.Output.WriteAsync(new byte[] { 0x15 });
        Assert.Equal(line, await ReadLineAsync(computer.Input, 0x14));
        Assert.Equal(1, emulator.NaksReceived);

        // Third resend after silence, then its timeout too: the message goes back to the buffer.
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(line, await ReadLineAsync(computer.Input, 0x14));
        Assert.Equal(4, emulator.Transmissions);
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromSeconds(4));
        await WaitUntilAsync(() => emulator.ResendsExhausted == 1);
        Assert.Equal(1, emulator.Buffered);
        Assert.Empty(emulator.Ledger);

        // Later it is tried again, and this time the computer answers.
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(options.RetryBufferedAfter);
        Assert.Equal(line, await ReadLineAsync(computer.Input, 0x14));
        await computer.Output.WriteAsync(new byte[] { 0x06 });
        await emulator.WaitForLedgerAsync(1).WaitAsync(Wait);
        var entry = Assert.Single(emulator.Ledger);
        Assert.Equal("5011 181234E10101001", entry.Text);
        Assert.Equal(5, entry.Transmissions);
        Assert.Equal(0, emulator.Buffered);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_late_answer_to_a_resent_copy_is_not_taken_for_the_next_lines_ACK()
    {
        var clock = new ManualTimeProvider();
        var link = new DuplexPipePair();
        var emulator = new ReceiverEmulator(link.A, new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.Zero }, clock);
        using var cts = new CancellationTokenSource();
        var run = emulator.RunAsync(cts.Token);
        var computer = link.B;
        const string first = "5011 181234E10101001\u0014";
        const string second = "5011 181234E10101002\u0014";
        Assert.True(emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, Zone: 1)));
        Assert.True(emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, Zone: 2)));

        // The computer is slow: the first line goes out twice, then both copies are answered, the second one late.
        Assert.Equal(first, await ReadLineAsync(computer.Input, 0x14));
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(first, await ReadLineAsync(computer.Input, 0x14));
        await computer.Output.WriteAsync(new byte[] { 0x06 });
        await emulator.WaitForLedgerAsync(1).WaitAsync(Wait);
        await computer.Output.WriteAsync(new byte[] { 0x06 });

        // The late ACK belonged to the first line: the second, never answered itself, is sent again after 4 s.
        Assert.Equal(second, await ReadLineAsync(computer.Input, 0x14));
        await WaitUntilAsync(() => emulator.LateAnswers == 1);
        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(second, await ReadLineAsync(computer.Input, 0x14));
        Assert.Single(emulator.Ledger);

        await computer.Output.WriteAsync(new byte[] { 0x06 });
        await emulator.WaitForLedgerAsync(2).WaitAsync(Wait);
        Assert.Equal(2, emulator.Ledger[1].Transmissions);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Sends_a_heartbeat_each_interval_when_idle()
    {
        var clock = new ManualTimeProvider();
        var link = new DuplexPipePair();
        var emulator = new ReceiverEmulator(link.A, new ReceiverEmulatorOptions { Dialect = ReceiverDialect.Ademco685 }, clock);
        using var cts = new CancellationTokenSource();
        var run = emulator.RunAsync(cts.Token);

        await clock.WaitForTimersAsync(1, Wait);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("\n01 OKAY @ \r", await ReadLineAsync(link.B.Input, 0x0D));
        await link.B.Output.WriteAsync(new byte[] { 0x06 });
        await emulator.WaitForLedgerAsync(1).WaitAsync(Wait);
        Assert.Equal(ReceiverFrameKind.Heartbeat, emulator.Ledger[0].Kind);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public void The_buffer_holds_127_messages()
    {
        var emulator = new ReceiverEmulator(new DuplexPipePair().A);
        for (var i = 0; i < 127; i++)
        {
            Assert.True(emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, Zone: i)));
        }

        Assert.False(emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101)));
        Assert.Equal(127, emulator.Buffered);
    }

    [Fact]
    public void Lines_are_framed_per_dialect()
    {
        var surGard = new ReceiverEmulatorOptions();
        var ademco = new ReceiverEmulatorOptions { Dialect = ReceiverDialect.Ademco685, Receiver = "02", Line = "3" };
        var e = new ReceiverEmulatorEvent("1234", ContactIdQualifier.Restore, 401, 2, 15, ZoneIsUser: true);
        Assert.Equal("5011 181234R40102015", ReceiverLineFormatter.EventText(surGard, e));
        Assert.Equal("023 1234 18 3401 02 U015", ReceiverLineFormatter.EventText(ademco, e));
        Assert.Equal("1011           @    ", ReceiverLineFormatter.HeartbeatText(surGard));
        Assert.Equal("\n023 1234 18 3401 02 U015\n023 1234 18 3401 02 U015\r",
            Encoding.ASCII.GetString(ReceiverLineFormatter.Frame(ReceiverDialect.Ademco685, ReceiverLineFormatter.EventText(ademco, e), 2)));
        Assert.Equal(9600, surGard.PortSettings("/dev/x").BaudRate);
        Assert.Equal(7, ademco.PortSettings("/dev/x").DataBits);
    }

    private static async Task<string> ReadLineAsync(PipeReader reader, byte terminator)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var r = await reader.ReadAsync(cts.Token);
            var end = r.Buffer.PositionOf(terminator);
            if (end is { } e)
            {
                var through = r.Buffer.GetPosition(1, e);
                var text = Encoding.ASCII.GetString(r.Buffer.Slice(0, through).ToArray());
                reader.AdvanceTo(through);
                return text;
            }

            reader.AdvanceTo(r.Buffer.Start, r.Buffer.End);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
