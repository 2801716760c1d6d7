using Telecare.FirmwareSim.Receiver;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// One Sur-Gard MLR2 receiver on the pty: personal-emergency lines (101) for the accounts rx1/1000.., each line
/// different (account, group and zone count through), so the gateway's dedupe-by-frame can only ever fold true copies.
/// Its ledger is the emulator's: the lines the gateway ACKed.
/// </summary>
public sealed class SoakReceiver : IAsyncDisposable
{
    private readonly LinuxSerialPort _port;
    private readonly ReceiverEmulator _emulator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly int _accounts;
    private long _sent;
    private long _bufferFull;

    public SoakReceiver(string path, int accounts)
    {
        var options = new ReceiverEmulatorOptions
        {
            Dialect = ReceiverDialect.SurGardMlr2,
            // The documented 4 s ACK window and 3 resends; a line whose resends ran out is tried again after 2 s.
            RetryBufferedAfter = TimeSpan.FromSeconds(2),
            HeartbeatInterval = TimeSpan.FromSeconds(10),
        };
        _accounts = accounts;
        _port = LinuxSerialPort.Open(options.PortSettings(path));
        _emulator = new ReceiverEmulator(_port, options);
        _run = Task.Run(() => _emulator.RunAsync(_stop.Token));
    }

    public ReceiverEmulatorOptions Options => _emulator.Options;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The gateway's device references for the accounts this receiver sends for (rx1/1000 …).</summary>
    public IReadOnlyList<string> Accounts => [.. Enumerable.Range(1000, _accounts).Select(a => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rx1/{a}"))];

    /// <summary>Events the receiver had no room for (its buffer holds 127): never sent, so not counted as sent.</summary>
    public long BufferFull => Interlocked.Read(ref _bufferFull);

    public int Buffered => _emulator.Buffered;

    public int Retransmissions => _emulator.AckTimeouts + _emulator.NaksReceived;

    /// <summary>NAKs from the gateway: lines it could not parse (garbage sent on purpose, or a line mangled on the way).</summary>
    public int Naks => _emulator.NaksReceived;

    /// <summary>Bytes written as they are, between lines, with no answer awaited: noise, a broken line, a flood.</summary>
    public void SendRaw(byte[] bytes) => _emulator.EnqueueRaw(bytes);

    /// <summary>The texts of the event lines the gateway acknowledged.</summary>
    public IReadOnlyList<string> Ledger => [.. _emulator.Ledger.Where(e => e.Kind == ReceiverFrameKind.Event).Select(e => e.Text)];

    /// <summary>A line as it goes over the wire (what the gateway stores as the raw frame).</summary>
    public byte[] Frame(string text) => ReceiverLineFormatter.Frame(Options.Dialect, text);

    /// <summary>The receiver stopped (the link failed); its exception says why.</summary>
    public Task Completion => _run;

    public void SendNext()
    {
        var n = _sent + _bufferFull;
        var rest = n / _accounts;
        var e = new ReceiverEmulatorEvent((1000 + (n % _accounts)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ContactIdQualifier.New, 101, Group: (int)(rest / 1000 % 100), Zone: (int)(rest % 1000));
        if (_emulator.TryEnqueue(e))
        {
            Interlocked.Increment(ref _sent);
        }
        else
        {
            Interlocked.Increment(ref _bufferFull);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        await _port.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
