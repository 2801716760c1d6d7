namespace Telecare.Gateway.Hosting;

/// <summary>
/// How the gateway's background loops live through failures. An exception that escapes a BackgroundService stops
/// the whole host (BackgroundServiceExceptionBehavior.StopHost, which the gateway keeps so a broken start is loud),
/// so a store that is briefly unreadable would take the alarm path down with it. Instead each round of a loop runs
/// here: a failed round is logged and the next one starts after a back-off that doubles from
/// <see cref="FirstBackoff"/> to <see cref="MaxBackoff"/> and falls back after a good round. Only stopping ends it.
/// </summary>
public static partial class LoopPolicy
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="round"/> again and again until <paramref name="stoppingToken"/> is cancelled.</summary>
    public static async Task RunAsync(string loop, Func<CancellationToken, Task> round, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
                backoff = FirstBackoff;
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(logger, ex, loop, backoff.TotalSeconds);
            }

            if (!await DelayAsync(backoff, time, stoppingToken))
            {
                return;
            }

            backoff = Next(backoff);
        }
    }

    /// <summary>The back-off after <paramref name="current"/>: doubled, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Next(TimeSpan current) => TimeSpan.FromTicks(Math.Min(current.Ticks * 2, MaxBackoff.Ticks));

    /// <summary>Waits on the injected clock; false when stopping cut the wait short.</summary>
    public static async Task<bool> DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "{Loop}: a round failed; trying again in {BackoffSeconds} s")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string loop, double backoffSeconds);
}
