using System.Text;
using Telecare.FirmwareSim.Receiver;
using Telecare.FirmwareSim.Serial;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>
/// The emulated receiver on one end of a real socat pty pair, the gateway-side codec and serial port
/// on the other, answering ACK / NAK as the monitoring computer does.
/// </summary>
public sealed class ReceiverEmulatorEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SurGard_events_and_heartbeats_are_read_and_acknowledged()
    {
        var options = new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        await using var rig = await Rig.StartAsync(options);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101)));
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.Restore, 101)));
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("5678", ContactIdQualifier.New, 602, 0, 0)));

        await rig.WaitForLedgerAsync(l => l.Count(e => e.Kind == ReceiverFrameKind.Event) == 3 && l.Any(e => e.Kind == ReceiverFrameKind.Heartbeat));

        var events = rig.Reader.Frames.Where(f => f.Kind == ReceiverFrameKind.Event).ToArray();
        Assert.Equal(3, events.Length);
        Assert.Equal(("1234", ContactIdQualifier.New, 101), (events[0].Account, events[0].Qualifier!.Value, events[0].EventCode));
        Assert.Equal(("1234", ContactIdQualifier.Restore, 101), (events[1].Account, events[1].Qualifier!.Value, events[1].EventCode));
        Assert.Equal(("5678", 602), (events[2].Account, events[2].EventCode));
        Assert.True(events[0].TryGetContactId(out var report));
        Assert.Equal("123418110101001B", report.ToString());
        Assert.Contains(rig.Reader.Frames, f => f.Kind == ReceiverFrameKind.Heartbeat && f.Receiver == "01");
        Assert.All(rig.Emulator.Ledger, e => Assert.Equal(1, e.Transmissions));
        Assert.Equal(0, rig.Emulator.NaksReceived);
        Assert.Equal(SerialPortSettings.SupportedBaudRates[3], rig.EmulatorPort.Settings.BaudRate); // 9600 8N1
    }

    [Fact]
    public async Task A_NAK_makes_the_receiver_send_the_line_again()
    {
        var options = new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.Zero };
        await using var rig = await Rig.StartAsync(options, acknowledge: (_, seen) => seen > 1);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 111, 1, 4)));
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 162, 1, 5)));
        await rig.WaitForLedgerAsync(l => l.Count == 2);

        Assert.All(rig.Emulator.Ledger, e => Assert.Equal(2, e.Transmissions));
        Assert.Equal(2, rig.Emulator.NaksReceived);
        var frames = rig.Reader.Frames.ToArray();
        Assert.Equal(4, frames.Length);
        Assert.Equal(frames[0].Raw.ToArray(), frames[1].Raw.ToArray()); // the resend is the same bytes: dedupe by raw works
        Assert.Equal(111, frames[1].EventCode);
        Assert.Equal(162, frames[3].EventCode);
    }

    [Fact]
    public async Task Glued_copies_noise_and_an_endless_line_are_handled()
    {
        var options = new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.Zero };
        await using var rig = await Rig.StartAsync(options);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101) { Copies = 3, NoiseBefore = [0x00, 0xFF, (byte)'#', (byte)'5'] }));
        await rig.WaitForLedgerAsync(l => l.Count == 1);
        rig.Emulator.EnqueueRaw(Encoding.ASCII.GetBytes(new string('x', 1500)));
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("4321", ContactIdQualifier.New, 154, 2, 9)));
        await rig.WaitForLedgerAsync(l => l.Count == 2);

        var frames = rig.Reader.Frames.ToArray();
        Assert.Equal(2, frames.Length);
        Assert.Equal(3, frames[0].Copies);
        Assert.Equal(101, frames[0].EventCode);
        Assert.Equal(("4321", 154, 2, 9), (frames[1].Account, frames[1].EventCode, frames[1].Group, frames[1].Zone));
        Assert.Contains(rig.Reader.Results, r => r.Malformed?.Reason == "line-too-long");
        Assert.All(rig.Emulator.Ledger, e => Assert.Equal(1, e.Transmissions));
    }

    [Fact]
    public async Task Ademco_685_at_1200_7E1_end_to_end()
    {
        var options = new ReceiverEmulatorOptions { Dialect = ReceiverDialect.Ademco685, HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        await using var rig = await Rig.StartAsync(options);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101)));
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.Restore, 401, 1, 7, ZoneIsUser: true) { Copies = 2 }));
        await rig.WaitForLedgerAsync(l => l.Count(e => e.Kind == ReceiverFrameKind.Event) == 2 && l.Any(e => e.Kind == ReceiverFrameKind.Heartbeat));

        var events = rig.Reader.Frames.Where(f => f.Kind == ReceiverFrameKind.Event).ToArray();
        Assert.Equal(2, events.Length);
        Assert.Equal(101, events[0].EventCode);
        Assert.False(events[0].ZoneIsUser);
        Assert.Equal((ContactIdQualifier.Restore, 401, 7, true, 2), (events[1].Qualifier!.Value, events[1].EventCode, events[1].Zone, events[1].ZoneIsUser, events[1].Copies));
        Assert.Equal((1200, 7, SerialParity.Even), (rig.EmulatorPort.Settings.BaudRate, rig.EmulatorPort.Settings.DataBits, rig.EmulatorPort.Settings.Parity));
    }

    [Fact]
    public async Task The_gateway_side_read_loop_sees_the_receiver_line_vanish_and_reads_again_after_reopening()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var options = new ReceiverEmulatorOptions { HeartbeatInterval = TimeSpan.Zero };
        await using (var computer = LinuxSerialPort.Open(options.PortSettings(pair.PathB)))
        await using (var receiverEnd = LinuxSerialPort.Open(options.PortSettings(pair.PathA)))
        {
            var connection = new ReceiverConnection(computer, ReceiverCodec.Create(options.Dialect));
            await receiverEnd.Output.WriteAsync(ReceiverLineFormatter.Frame(options.Dialect, "5011 181234E10101001"));
            var first = await connection.ReadAsync().AsTask().WaitAsync(Wait);
            Assert.Equal(101, first!.Value.Frame!.EventCode);
            await connection.AcknowledgeAsync();

            pair.Kill();
            var error = await Assert.ThrowsAsync<SerialPortException>(async () =>
            {
                while (await connection.ReadAsync().AsTask().WaitAsync(Wait) is not null)
                {
                }
            });
            Assert.True(error.IsHangUp);
            Assert.Contains(pair.PathB, error.Message);
        }

        await pair.RestartAsync();
        await using var computer2 = LinuxSerialPort.Open(options.PortSettings(pair.PathB));
        await using var receiverEnd2 = LinuxSerialPort.Open(options.PortSettings(pair.PathA));
        var again = new ReceiverConnection(computer2, ReceiverCodec.Create(options.Dialect));
        await receiverEnd2.Output.WriteAsync(ReceiverLineFormatter.Frame(options.Dialect, "5011 181234R10101001"));
        var restored = await again.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.True(restored!.Value.Frame!.IsRestore);
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private SocatPtyPair _pair = null!;
        private LinuxSerialPort _computerPort = null!;
        private Task _run = Task.CompletedTask;

        public LinuxSerialPort EmulatorPort { get; private set; } = null!;

        public ReceiverEmulator Emulator { get; private set; } = null!;

        public AcknowledgingReader Reader { get; private set; } = null!;

        public static async Task<Rig> StartAsync(ReceiverEmulatorOptions options, Func<ReceiverFrame, int, bool>? acknowledge = null)
        {
            var rig = new Rig();
            try
            {
                rig._pair = await SocatPtyPair.StartAsync();
                rig.EmulatorPort = LinuxSerialPort.Open(options.PortSettings(rig._pair.PathA));
                rig._computerPort = LinuxSerialPort.Open(options.PortSettings(rig._pair.PathB));
                rig.Reader = new AcknowledgingReader(rig._computerPort, ReceiverCodec.Create(options.Dialect), acknowledge);
                rig.Emulator = new ReceiverEmulator(rig.EmulatorPort, options);
                rig._run = rig.Emulator.RunAsync(rig._stop.Token);
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }

            return rig;
        }

        public async Task WaitForLedgerAsync(Func<IReadOnlyList<ReceiverLedgerEntry>, bool> condition)
        {
            using var cts = new CancellationTokenSource(Wait);
            while (Emulator.Ledger is var ledger && !condition(ledger))
            {
                if (_run.IsCompleted)
                {
                    await _run;
                }

                try
                {
                    await Emulator.WaitForLedgerAsync(ledger.Count + 1, cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException("ledger: " + string.Join(" | ", Emulator.Ledger.Select(e => $"{e.Kind} '{e.Text}' x{e.Transmissions}")) +
                        "; reader: " + string.Join(" | ", Reader.Results.Select(CodecDriver.Describe)));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            if (Reader is not null)
            {
                await Reader.DisposeAsync();
            }

            if (EmulatorPort is not null)
            {
                await EmulatorPort.DisposeAsync();
            }

            if (_computerPort is not null)
            {
                await _computerPort.DisposeAsync();
            }

            if (_pair is not null)
            {
                await _pair.DisposeAsync();
            }

            _stop.Dispose();
        }
    }
}
