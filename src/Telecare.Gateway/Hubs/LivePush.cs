using Microsoft.Extensions.Options;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// Starts a push to live connections without waiting for any one of them. SignalR writes a broadcast to each
/// connection in turn and its task waits for the slowest: awaited, one console whose socket stopped draining would
/// hold up triage and, behind it, every other console. Started here, consoles that keep up get the message at once
/// (and in order: each connection's writes queue behind its own lock), and a connection that has not taken a
/// message within <see cref="ConsoleOptions.SendTimeout"/> has the write cancelled, on which SignalR closes that
/// connection. The page reconnects and resyncs from the snapshot, so the dropped console misses nothing.
/// </summary>
public sealed partial class LivePush(IOptions<ConsoleOptions> options, ILogger<LivePush> logger)
{
    private readonly TimeSpan _timeout = options.Value.SendTimeout;
    private int _waiting;

    /// <summary>Pushes still waiting on a connection that has not taken them yet (a slow console, until it is dropped).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs <paramref name="send"/> with a token that gives up on slow connections; returns at once.</summary>
    public void Start(string what, Func<CancellationToken, Task> send)
    {
        // Wall time, not the injected clock: this is a network deadline (as Kestrel's are), and a test's manual
        // clock jumping minutes must not cut a healthy console.
        var deadline = new CancellationTokenSource(_timeout);
        Task sending;
        try
        {
            sending = send(deadline.Token);
        }
        catch (Exception ex)
        {
            deadline.Dispose();
            LogSendFailed(logger, ex, what);
            return;
        }

        if (sending.IsCompletedSuccessfully)
        {
            deadline.Dispose();
            return;
        }

        Interlocked.Increment(ref _waiting);
        _ = ObserveAsync(sending, deadline, what);
    }

    private async Task ObserveAsync(Task sending, CancellationTokenSource deadline, string what)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogSlowConnection(logger, what, _timeout.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, what);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            deadline.Dispose();
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "{What}: a live connection did not take it within {TimeoutMs} ms and is being closed; it resyncs when it reconnects")]
    private static partial void LogSlowConnection(ILogger logger, string what, double timeoutMs);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "{What} could not be pushed to live connections")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string what);
}
