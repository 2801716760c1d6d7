using System.IO.Pipelines;
using System.Threading.Channels;
using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>
/// An alarm receiver's serial output (Sur-Gard MLR2 or Ademco 685) over any duplex pipe, usually one
/// end of a pseudo-terminal. It prints each event and waits for ACK (0x06); on NAK (0x15) or silence
/// it sends the line again up to <see cref="ReceiverEmulatorOptions.Resends"/> times, then keeps it in
/// its buffer (up to <see cref="ReceiverEmulatorOptions.BufferCapacity"/> messages) and tries again later.
/// Heartbeats go out when idle. Acknowledged lines are kept in <see cref="Ledger"/>; a line sent more than once waits
/// for the answers its other copies may still get before the next line goes out.
/// </summary>
public sealed class ReceiverEmulator
{
    private const byte AckByte = 0x06;
    private const byte NakByte = 0x15;
    private const byte CrByte = 0x0D;

    private readonly IDuplexPipe _pipe;
    private readonly ReceiverEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Queue<Pending> _buffer = new();
    private readonly Queue<byte[]> _raw = new();
    private readonly Channel<byte> _replies = Channel.CreateUnbounded<byte>();
    private readonly List<ReceiverLedgerEntry> _ledger = [];
    private readonly object _gate = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly List<(int Count, TaskCompletionSource Done)> _ledgerWaiters = [];
    private DateTimeOffset _nextHeartbeat;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private int _transmissions;
    private int _naks;
    private int _timeouts;
    private int _exhausted;
    private int _linkTests;
    private int _lateAnswers;

    public ReceiverEmulator(IDuplexPipe pipe, ReceiverEmulatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        _pipe = pipe ?? throw new ArgumentNullException(nameof(pipe));
        _options = options ?? new ReceiverEmulatorOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _nextHeartbeat = _time.GetUtcNow() + _options.HeartbeatInterval;
    }

    public ReceiverEmulatorOptions Options => _options;

    /// <summary>Every line written, resends and heartbeats included.</summary>
    public int Transmissions => Volatile.Read(ref _transmissions);

    public int NaksReceived => Volatile.Read(ref _naks);

    public int AckTimeouts => Volatile.Read(ref _timeouts);

    /// <summary>How many times a message used up its resends and went back to waiting in the buffer.</summary>
    public int ResendsExhausted => Volatile.Read(ref _exhausted);

    /// <summary>Answers to copies of an already acknowledged line, kept from being taken for the next line's ACK.</summary>
    public int LateAnswers => Volatile.Read(ref _lateAnswers);

    /// <summary>Bare CRs received from the computer (the Ademco link test).</summary>
    public int LinkTestsReceived => Volatile.Read(ref _linkTests);

    /// <summary>Messages waiting to be acknowledged, the one being sent included.</summary>
    public int Buffered
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>A snapshot of the acknowledged lines, oldest first.</summary>
    public IReadOnlyList<ReceiverLedgerEntry> Ledger
    {
        get
        {
            lock (_gate)
            {
                return _ledger.ToArray();
            }
        }
    }

    /// <summary>Queues an event; false when the buffer is full (the receiver has nowhere to keep it).</summary>
    public bool TryEnqueue(ReceiverEmulatorEvent e)
    {
        var text = ReceiverLineFormatter.EventText(_options, e);
        lock (_gate)
        {
            if (_buffer.Count >= _options.BufferCapacity)
            {
                return false;
            }

            _buffer.Enqueue(new Pending(text, ReceiverFrameKind.Event, e.Copies, e.NoiseBefore));
        }

        _work.Release();
        return true;
    }

    /// <summary>
    /// Writes bytes as they are, in order with the lines, without waiting for an answer: line noise,
    /// or a line that never ends (to test that the computer cuts it).
    /// </summary>
    public void EnqueueRaw(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        lock (_gate)
        {
            _raw.Enqueue(bytes);
        }

        _work.Release();
    }

    /// <summary>Completes when the ledger holds at least <paramref name="count"/> entries.</summary>
    public Task WaitForLedgerAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_ledger.Count >= count)
            {
                return Task.CompletedTask;
            }

            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ledgerWaiters.Add((count, tcs));
            return tcs.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Runs until cancelled, or until the link closes (returns) or fails (throws).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var replies = Task.Run(async () =>
        {
            try
            {
                await ReadRepliesAsync(stop.Token).ConfigureAwait(false);
            }
            finally
            {
                // The link is gone: stop sending too.
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);

        try
        {
            await SendLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await replies.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            byte[]? raw = null;
            Pending? next = null;
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                if (_raw.Count > 0)
                {
                    raw = _raw.Dequeue();
                }
                else if (_buffer.Count > 0 && now >= _retryAt)
                {
                    next = _buffer.Peek();
                }
            }

            if (raw is not null)
            {
                await WriteAsync(raw, ct).ConfigureAwait(false);
                continue;
            }

            if (next is not null)
            {
                if (await DeliverAsync(next, ct).ConfigureAwait(false))
                {
                    lock (_gate)
                    {
                        _buffer.Dequeue();
                    }
                }
                else
                {
                    Interlocked.Increment(ref _exhausted);
                    _retryAt = _time.GetUtcNow() + _options.RetryBufferedAfter;
                }

                continue;
            }

            if (_options.HeartbeatInterval > TimeSpan.Zero && now >= _nextHeartbeat)
            {
                // A heartbeat is not buffered: if it is not answered the next one will be.
                await DeliverAsync(new Pending(ReceiverLineFormatter.HeartbeatText(_options), ReceiverFrameKind.Heartbeat, 1, null), ct).ConfigureAwait(false);
                _nextHeartbeat = _time.GetUtcNow() + _options.HeartbeatInterval;
                continue;
            }

            await WaitForWorkAsync(now, ct).ConfigureAwait(false);
        }
    }

    // Sends one message until it is acknowledged or its resends run out.
    private async Task<bool> DeliverAsync(Pending message, CancellationToken ct)
    {
        while (_replies.Reader.TryRead(out _))
        {
            // Answers to earlier lines are stale now.
        }

        if (message.NoiseBefore is { Length: > 0 } noise && message.Transmissions == 0)
        {
            await WriteAsync(noise, ct).ConfigureAwait(false);
        }

        var answered = 0;
        for (var attempt = 0; attempt <= _options.Resends; attempt++)
        {
            // Glued copies only on the first transmission; a resend is a clean line.
            var copies = message.Transmissions == 0 ? message.Copies : 1;
            message.Transmissions++;
            Interlocked.Increment(ref _transmissions);
            await WriteAsync(ReceiverLineFormatter.Frame(_options.Dialect, message.Text, copies), ct).ConfigureAwait(false);

            switch (await WaitReplyAsync(ct).ConfigureAwait(false))
            {
                case AckByte:
                    Record(message);
                    // attempt + 1 copies went out; answered + 1 were answered.
                    await SwallowLateAnswersAsync(attempt - answered, ct).ConfigureAwait(false);
                    return true;
                case NakByte:
                    answered++;
                    Interlocked.Increment(ref _naks);
                    break;
                default:
                    Interlocked.Increment(ref _timeouts);
                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// A copy sent again after silence may still be answered (the computer was slow, or restarted and read every copy
    /// waiting on the line). An ACK carries no reference, so such a late answer would be taken for the next line's ACK
    /// and that line dropped from the buffer unconfirmed: answers still owed within the ACK window are taken here.
    /// </summary>
    private async Task SwallowLateAnswersAsync(int owed, CancellationToken ct)
    {
        for (var i = 0; i < owed; i++)
        {
            if (await WaitReplyAsync(ct).ConfigureAwait(false) is null)
            {
                return;
            }

            Interlocked.Increment(ref _lateAnswers);
        }
    }

    private async Task<byte?> WaitReplyAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.AckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await _replies.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task WaitForWorkAsync(DateTimeOffset now, CancellationToken ct)
    {
        var until = DateTimeOffset.MaxValue;
        lock (_gate)
        {
            if (_buffer.Count > 0)
            {
                until = _retryAt;
            }
        }

        if (_options.HeartbeatInterval > TimeSpan.Zero && _nextHeartbeat < until)
        {
            until = _nextHeartbeat;
        }

        // The timer runs on the injected clock so a test can move time instead of sleeping.
        using var timer = until == DateTimeOffset.MaxValue
            ? new CancellationTokenSource()
            : new CancellationTokenSource(until - now > TimeSpan.Zero ? until - now : TimeSpan.FromTicks(1), _time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _work.WaitAsync(wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Time for a heartbeat or a retry.
        }
    }

    private void Record(Pending message)
    {
        var entry = new ReceiverLedgerEntry(message.Text, message.Kind, message.Transmissions, _time.GetUtcNow());
        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            _ledger.Add(entry);
            _ledgerWaiters.RemoveAll(w =>
            {
                if (_ledger.Count < w.Count)
                {
                    return false;
                }

                done.Add(w.Done);
                return true;
            });
        }

        foreach (var d in done)
        {
            d.TrySetResult();
        }
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        var flush = await _pipe.Output.WriteAsync(bytes, ct).ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new IOException("the computer side of the receiver link is closed");
        }
    }

    private async Task ReadRepliesAsync(CancellationToken ct)
    {
        var input = _pipe.Input;
        while (!ct.IsCancellationRequested)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                foreach (var b in segment.Span)
                {
                    if (b is AckByte or NakByte)
                    {
                        _replies.Writer.TryWrite(b);
                    }
                    else if (b == CrByte)
                    {
                        Interlocked.Increment(ref _linkTests);
                    }
                }
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private sealed class Pending(string text, ReceiverFrameKind kind, int copies, byte[]? noiseBefore)
    {
        public string Text { get; } = text;

        public ReceiverFrameKind Kind { get; } = kind;

        public int Copies { get; } = copies;

        public byte[]? NoiseBefore { get; } = noiseBefore;

        public int Transmissions { get; set; }
    }
}
