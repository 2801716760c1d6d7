using System.Threading.Channels;
using Telecare.Core.Signals;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Takes committed signals to triage in commit order: whatever has queued up since the last turn goes as one batch
/// (one commit), so a burst does not wait on one fsync per signal. At start it first finishes any signal that was
/// committed (and acknowledged) but not triaged when the gateway last stopped.
/// </summary>
public sealed partial class TriageWorker(
    ChannelReader<StoredSignal> committed,
    CallService calls,
    TimeProvider time,
    ILogger<TriageWorker> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var caughtUp = false;
        var batch = new List<StoredSignal>(MaxBatch);
        await LoopPolicy.RunAsync(nameof(TriageWorker), async cancellationToken =>
        {
            if (!caughtUp)
            {
                await CatchUpAsync(cancellationToken);
                caughtUp = true;
            }

            if (!await committed.WaitToReadAsync(cancellationToken))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            batch.Clear();
            while (batch.Count < MaxBatch && committed.TryRead(out var signal))
            {
                batch.Add(signal);
            }

            await TriageBatchAsync(batch, cancellationToken);
        }, time, logger, stoppingToken);
    }

    /// <summary>Loads the open calls and triages what was committed (and acknowledged) but not triaged before the last stop.</summary>
    private async Task CatchUpAsync(CancellationToken stoppingToken)
    {
        calls.Load();
        var backlog = calls.Untriaged();
        if (backlog.Count > 0)
        {
            LogCatchUp(logger, backlog.Count);
        }

        foreach (var chunk in backlog.Chunk(MaxBatch))
        {
            await TriageBatchAsync(chunk, stoppingToken);
        }
    }

    private async Task TriageBatchAsync(IReadOnlyList<StoredSignal> batch, CancellationToken stoppingToken)
    {
        try
        {
            await TriageUntilStoredAsync(batch, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && batch.Count > 1)
        {
            // One bad signal must not hold back the others: the batch rolled back whole, so go one at a time.
            LogBatchFailed(logger, ex, batch.Count);
            foreach (var signal in batch)
            {
                await TriageOneAsync(signal, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTriageFailed(logger, ex, batch[0].Id, batch[0].EventType, batch[0].DeviceRef);
        }
    }

    /// <summary>
    /// A store that cannot commit is no fault of the signals: the same batch is tried again, in order, until the
    /// store takes it (the signals are already durable, so nothing is lost meanwhile, and nothing overtakes them).
    /// Every second, not on a growing back-off: an alarm must reach a console as soon as the store is back, and a
    /// failed attempt costs the writer next to nothing.
    /// </summary>
    private async Task TriageUntilStoredAsync(IReadOnlyList<StoredSignal> batch, CancellationToken stoppingToken)
    {
        var logged = false;
        while (true)
        {
            try
            {
                await calls.TriageAsync(batch, stoppingToken);
                return;
            }
            catch (StoreUnavailableException ex)
            {
                if (!logged)
                {
                    LogStoreUnavailable(logger, ex, batch.Count);
                    logged = true;
                }
            }

            await Task.Delay(RetryInterval, time, stoppingToken);
        }
    }

    private async Task TriageOneAsync(StoredSignal signal, CancellationToken stoppingToken)
    {
        try
        {
            await TriageUntilStoredAsync([signal], stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The signal stays untriaged in the store and is retried at the next start; a person must know now.
            LogTriageFailed(logger, ex, signal.Id, signal.EventType, signal.DeviceRef);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Finishing triage of {Count} signal(s) committed before the last stop")]
    private static partial void LogCatchUp(ILogger logger, int count);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Critical, Message = "Triage failed for signal {SignalId} ({EventType} from {DeviceRef}); it stays stored and untriaged")]
    private static partial void LogTriageFailed(ILogger logger, Exception exception, long signalId, string eventType, string deviceRef);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "Triage of {Count} signal(s) waits for the store, which cannot commit; trying again every second")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Triage of a batch of {Count} signals failed; triaging them one at a time")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
