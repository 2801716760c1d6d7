using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Telecare.Core.Accounts;
using Telecare.FirmwareSim.Receiver;
using Telecare.FirmwareSim.Serial;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.Gateway.Tests.Ingress.Serial;

/// <summary>
/// The gateway reading a real kernel pseudo-terminal (socat) while the firmware-sim receiver emulator writes to the
/// other end, with the receiver's own framing, port settings, ACK wait and resends.
/// </summary>
public sealed class SerialIngressTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed class Rig : IAsyncDisposable
    {
        private CancellationTokenSource _stop = new();
        private LinuxSerialPort? _port;
        private Task? _running;

        private Rig(SocatPtyPair pair, GatewayFactory gateway, ReceiverEmulatorOptions options)
        {
            Pair = pair;
            Gateway = gateway;
            Options = options;
        }

        public SocatPtyPair Pair { get; }

        public GatewayFactory Gateway { get; }

        public ReceiverEmulatorOptions Options { get; }

        public ReceiverEmulator Emulator { get; private set; } = null!;

        public static async Task<Rig> StartAsync(ReceiverDialect dialect, int baud, int dataBits, SerialParity parity, double heartbeatTimeoutSeconds = 60, TimeSpan? heartbeatInterval = null, bool emulator = true)
        {
            var pair = await SocatPtyPair.StartAsync();
            var gateway = new GatewayFactory(new Dictionary<string, string?>
            {
                ["Serial:Ports:0:Path"] = pair.PathB,
                ["Serial:Ports:0:ReceiverId"] = "rx7",
                ["Serial:Ports:0:Dialect"] = dialect.ToString(),
                ["Serial:Ports:0:BaudRate"] = baud.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Serial:Ports:0:DataBits"] = dataBits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Serial:Ports:0:Parity"] = parity.ToString(),
                ["Serial:Ports:0:HeartbeatTimeoutSeconds"] = heartbeatTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Serial:Ports:0:ReopenMinSeconds"] = "0.1",
                ["Serial:Ports:0:ReopenMaxSeconds"] = "0.5",
            });
            _ = gateway.Server; // start the host: the serial ingress opens its end of the pty
            var options = new ReceiverEmulatorOptions
            {
                Dialect = dialect,
                AckTimeout = TimeSpan.FromMilliseconds(700),
                HeartbeatInterval = heartbeatInterval ?? TimeSpan.Zero,
            };
            var rig = new Rig(pair, gateway, options);
            if (emulator)
            {
                rig.StartEmulator(baud, dataBits, parity);
            }

            return rig;
        }

        public void StartEmulator(int baud, int dataBits, SerialParity parity)
        {
            _stop = new CancellationTokenSource();
            _port = LinuxSerialPort.Open(new SerialPortSettings { Path = Pair.PathA, BaudRate = baud, DataBits = dataBits, Parity = parity });
            Emulator = new ReceiverEmulator(_port, Options);
            _running = Emulator.RunAsync(_stop.Token);
        }

        public async Task StopEmulatorAsync()
        {
            await _stop.CancelAsync();
            if (_running is not null)
            {
                await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_port is not null)
            {
                await _port.DisposeAsync();
            }
        }

        public long Count(string where) => Gateway.Scalar($"SELECT COUNT(*) FROM signals WHERE {where}");

        public Task WaitForSignalAsync(string where) =>
            Eventually.TrueAsync(() => Count(where) > 0, Wait, $"a signal where {where}");

        public async ValueTask DisposeAsync()
        {
            await StopEmulatorAsync();
            await Gateway.DisposeAsync();
            await Pair.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_SurGard_event_at_9600_8N1_is_stored_then_acknowledged()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, 1, 1)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        Assert.Equal(1, rig.Count("source = 2 AND device_ref = 'rx7/1234' AND event_type = 'pendant.press' AND restore = 0 AND zone = '001' AND rejection_reason IS NULL"));
        Assert.Equal(1, rig.Count("CAST(raw_frame AS TEXT) LIKE '%181234E10101001%'"));
        Assert.Equal(1, rig.Emulator.Ledger[0].Transmissions);
    }

    [Fact]
    public async Task An_Ademco_event_at_19200_7E1_is_stored_with_its_restore()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.Ademco685, 19200, 7, SerialParity.Even);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("5678", ContactIdQualifier.Restore, 111, 2, 4)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        Assert.Equal(1, rig.Count("device_ref = 'rx7/5678' AND event_type = 'smoke.alarm' AND restore = 1 AND zone = '004'"));
    }

    [Fact]
    public async Task No_ack_before_the_commit_and_the_resent_line_is_stored_once()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None);
        var writer = rig.Gateway.Services.GetRequiredService<StoreWriter>();
        using var release = new SemaphoreSlim(0);
        // Occupy the single writer: nothing can commit until the test releases it.
        var blocker = writer.ExecuteAsync(_ => release.Wait(Wait));

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 100, 1, 2)));
        await Eventually.TrueAsync(() => rig.Emulator.AckTimeouts >= 1, Wait, "the receiver to give up waiting for an ACK");
        Assert.Empty(rig.Emulator.Ledger);
        Assert.Equal(0, rig.Count("event_type = 'medical'"));

        release.Release();
        await blocker;
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        Assert.True(rig.Emulator.Ledger[0].Transmissions >= 2);
        Assert.Equal(1, rig.Count("device_ref = 'rx7/1234' AND event_type = 'medical'"));
    }

    [Fact]
    public async Task Glued_copies_and_leading_noise_are_stored_once()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None);

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 154, 1, 9) { Copies = 3, NoiseBefore = [0x00, 0xFF] }));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        Assert.Equal(1, rig.Count("event_type = 'flood.alarm' AND device_ref = 'rx7/1234'"));
        Assert.Equal(1, rig.Count("1=1"));
    }

    [Fact]
    public async Task An_unterminated_flood_is_cut_stored_as_rejected_and_the_line_keeps_working()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None, emulator: false);
        await using var port = LinuxSerialPort.Open(new SerialPortSettings { Path = rig.Pair.PathA, BaudRate = 9600 });

        // 20 KB of noise with no terminator: far beyond the 512-byte line limit, never buffered whole.
        var flood = new byte[20_000];
        new Random(7).NextBytes(flood);
        for (var i = 0; i < flood.Length; i++)
        {
            flood[i] = (byte)('A' + (flood[i] % 26));
        }

        await port.Output.WriteAsync(flood);
        await rig.WaitForSignalAsync("rejection_reason = 'line-too-long'");
        Assert.True(rig.Count("rejection_reason = 'line-too-long' AND length(raw_frame) > 600") == 0, "a cut line was kept longer than the limit");

        // The next real line, after a terminator ends the flood, is read, stored and acknowledged.
        await port.Output.WriteAsync(Encoding.ASCII.GetBytes("\u0014"));
        await port.Output.WriteAsync(Encoding.ASCII.GetBytes("5011 181234E10101001\u0014"));
        await Eventually.TrueAsync(() => rig.Count("device_ref = 'rx7/1234' AND event_type = 'pendant.press'") == 1, Wait, "the good line after the flood");

        // The cut pieces were each refused (NAK) and the good line acknowledged last.
        var replies = new List<byte>();
        while (replies.LastOrDefault() != 0x06)
        {
            replies.Add(await ReadReplyAsync(port));
        }

        Assert.All(replies[..^1], r => Assert.Equal(0x15, r));
        Assert.Equal(0, rig.Count("rejection_reason IS NULL AND device_ref <> 'rx7/1234'"));
    }

    [Fact]
    public async Task A_garbage_line_is_stored_rejected_and_refused_with_NAK_and_a_good_line_after_it_gets_ACK()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None, emulator: false);
        await using var port = LinuxSerialPort.Open(new SerialPortSettings { Path = rig.Pair.PathA, BaudRate = 9600 });

        await port.Output.WriteAsync(Encoding.ASCII.GetBytes("5011 18ZZZZ GARBAGE LINE\u0014"));
        Assert.Equal(0x15, await ReadReplyAsync(port));
        Assert.Equal(1, rig.Count("device_ref = 'rx7' AND rejection_reason = 'unrecognised-line' AND CAST(raw_frame AS TEXT) LIKE '%GARBAGE%'"));

        await port.Output.WriteAsync(Encoding.ASCII.GetBytes("5011 181234E10101001\u0014"));
        Assert.Equal(0x06, await ReadReplyAsync(port));
        Assert.Equal(1, rig.Count("device_ref = 'rx7/1234' AND event_type = 'pendant.press'"));
    }

    [Fact]
    public async Task A_line_the_store_cannot_commit_gets_no_answer_and_the_link_keeps_serving()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None, emulator: false);
        await using var port = LinuxSerialPort.Open(new SerialPortSettings { Path = rig.Pair.PathA, BaudRate = 9600 });
        var writer = rig.Gateway.Services.GetRequiredService<StoreWriter>();
        using var release = new SemaphoreSlim(0);
        // Hold the writer, then queue a unit that fails the commit of the batch the line will join (as a lock
        // timeout or a full disk does): the whole batch, the line included, is not stored.
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = writer.ExecuteAsync(_ =>
        {
            holding.SetResult();
            release.Wait(Wait);
        });
        await holding.Task.WaitAsync(Wait);
        var failing = writer.ExecuteAsync<bool>(_ => throw new StoreUnavailableException("the test fails this commit"));
        var line = Encoding.ASCII.GetBytes("5011 181234E10101001\u0014");
        await port.Output.WriteAsync(line);
        await Eventually.TrueAsync(() => writer.QueueDepth >= 2, Wait, "the line to queue behind the failing unit");
        release.Release();
        await blocker;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => failing);

        await AssertNoReplyAsync(port);
        Assert.Equal(0, rig.Count("device_ref = 'rx7/1234'"));

        // The receiver sends it again after its ACK timeout: the link is still serving and the store takes it now.
        await port.Output.WriteAsync(line);
        Assert.Equal(0x06, await ReadReplyAsync(port));
        Assert.Equal(1, rig.Count("device_ref = 'rx7/1234' AND event_type = 'pendant.press'"));
    }

    /// <summary>A bounded wait for silence: the one kind of absence a test can only watch for a while.</summary>
    private static async Task AssertNoReplyAsync(LinuxSerialPort port)
    {
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            var read = await port.Input.ReadAsync(quiet.Token);
            Assert.Fail($"the gateway answered 0x{read.Buffer.FirstSpan[0]:X2} to a line it did not store");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<byte> ReadReplyAsync(LinuxSerialPort port)
    {
        var read = await port.Input.ReadAsync().AsTask().WaitAsync(Wait);
        var reply = read.Buffer.FirstSpan[0];
        port.Input.AdvanceTo(read.Buffer.GetPosition(1));
        return reply;
    }

    [Fact]
    public async Task A_contact_id_101_becomes_a_P1_call_on_the_console_and_a_602_periodic_test_only_checks_in()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None);
        var installer = rig.Gateway.ClientAs(Roles.Installer);
        await installer.PostAsync("/api/v1/devices", new StringContent("""{"type":"receiver-account","receiverId":"rx7","account":"1234"}""", Encoding.UTF8, "application/json"));
        await using var console = await rig.Gateway.HubAsync("/hubs/dispatch", Roles.Handler);
        await console.WaitForAsync("Snapshot");

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 602, 0, 0)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);
        await Eventually.TrueAsync(() => rig.Gateway.Scalar("SELECT COUNT(*) FROM devices WHERE device_id = 'rx7/1234' AND last_checkin_at IS NOT NULL") == 1,
            Wait, "the periodic test to count as a check-in");
        Assert.Equal(0, rig.Gateway.Scalar("SELECT COUNT(*) FROM calls"));

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, 1, 1)));
        var call = await console.WaitForAsync("CallRaised");
        Assert.Equal(1, call.GetProperty("priority").GetInt32());
        Assert.Equal("pendant.press", call.GetProperty("eventType").GetString());
        Assert.Equal("rx7/1234", call.GetProperty("deviceId").GetString());
        Assert.Equal(0, console.Count("TicketRaised"));
    }

    [Fact]
    public async Task Silence_raises_link_down_and_the_next_line_raises_link_up()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None, heartbeatTimeoutSeconds: 1);

        await rig.WaitForSignalAsync("event_type = 'receiver.link-down' AND device_ref = 'rx7'");
        Assert.Equal(0, rig.Count("event_type = 'receiver.link-up'"));

        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);
        await rig.WaitForSignalAsync("event_type = 'receiver.link-up' AND device_ref = 'rx7'");
    }

    [Fact]
    public async Task Heartbeats_are_acknowledged_and_keep_the_link_up_without_being_stored()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None, heartbeatTimeoutSeconds: 10, heartbeatInterval: TimeSpan.FromMilliseconds(200));

        await Eventually.TrueAsync(() => rig.Emulator.Ledger.Count(e => e.Kind == ReceiverFrameKind.Heartbeat) >= 15, Wait, "15 acknowledged heartbeats");

        Assert.Equal(0, rig.Count("event_type LIKE 'receiver.%'"));
        Assert.Equal(0, rig.Count("1=1"));
    }

    [Fact]
    public async Task A_vanished_pty_is_reopened_and_nothing_acknowledged_is_lost()
    {
        await using var rig = await Rig.StartAsync(ReceiverDialect.SurGardMlr2, 9600, 8, SerialParity.None);
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("1111", ContactIdQualifier.New, 101)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        // Unplug: the device nodes vanish under the gateway (links first, as udev does), then the emulator stops.
        rig.Pair.Kill();
        await rig.StopEmulatorAsync();
        await rig.WaitForSignalAsync("event_type = 'receiver.link-down' AND device_ref = 'rx7'");

        // Plug back in: same paths, a new receiver session.
        await rig.Pair.RestartAsync();
        rig.StartEmulator(9600, 8, SerialParity.None);
        Assert.True(rig.Emulator.TryEnqueue(new ReceiverEmulatorEvent("2222", ContactIdQualifier.New, 101)));
        await rig.Emulator.WaitForLedgerAsync(1).WaitAsync(Wait);

        Assert.Equal(1, rig.Count("device_ref = 'rx7/1111' AND event_type = 'pendant.press'"));
        Assert.Equal(1, rig.Count("device_ref = 'rx7/2222' AND event_type = 'pendant.press'"));
        await rig.WaitForSignalAsync("event_type = 'receiver.link-up' AND device_ref = 'rx7'");
    }
}
