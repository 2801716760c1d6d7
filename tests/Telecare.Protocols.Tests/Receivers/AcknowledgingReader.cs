using System.IO.Pipelines;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>
/// The monitoring computer's side in the tests: reads the receiver line through
/// <see cref="ReceiverConnection"/> and answers each complete line with ACK, or NAK when the
/// policy says so (malformed lines are always NAKed).
/// </summary>
internal sealed class AcknowledgingReader : IAsyncDisposable
{
    private readonly ReceiverConnection _connection;
    private readonly Func<ReceiverFrame, int, bool> _acknowledge;
    private readonly List<ReceiverReadResult> _results = [];
    private readonly Dictionary<string, int> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="acknowledge">Given a frame and how many times its raw line has been seen (1 first), whether to ACK.</param>
    public AcknowledgingReader(IDuplexPipe pipe, IReceiverCodec codec, Func<ReceiverFrame, int, bool>? acknowledge = null)
    {
        _connection = new ReceiverConnection(pipe, codec);
        _acknowledge = acknowledge ?? ((_, _) => true);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public IReadOnlyList<ReceiverReadResult> Results
    {
        get
        {
            lock (_results)
            {
                return _results.ToArray();
            }
        }
    }

    public IEnumerable<ReceiverFrame> Frames => Results.Where(r => r.Frame is not null).Select(r => r.Frame!);

    public async Task WaitUntilAsync(Func<AcknowledgingReader, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_results)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            if (_loop.IsFaulted)
            {
                await _loop;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the reader did not see what was expected within {timeout}; it saw: " +
                    string.Join(" | ", Results.Select(Receivers.CodecDriver.Describe)));
            }
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (await _connection.ReadAsync(ct) is { } r)
        {
            var ack = true;
            if (r.Frame is { } f)
            {
                var key = Convert.ToHexString(f.Raw.Span);
                _seen[key] = _seen.GetValueOrDefault(key) + 1;
                ack = _acknowledge(f, _seen[key]);
            }
            else
            {
                ack = false;
            }

            // Record before answering, as the gateway stores before it acknowledges.
            TaskCompletionSource changed;
            lock (_results)
            {
                _results.Add(r);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
            if (r.EndOfLine)
            {
                if (ack)
                {
                    await _connection.AcknowledgeAsync(ct);
                }
                else
                {
                    await _connection.RejectAsync(ct);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
