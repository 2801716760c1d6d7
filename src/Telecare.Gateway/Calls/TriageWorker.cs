using System.Threading.Channels;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Takes committed signals to triage in commit order: whatever has queued up since the last turn goes as one batch
/// (one commit), so a burst does not wait on one fsync per signal. At start it first finishes any signal that was
/// committed (and acknowledged) but not triaged when the gateway last stopped.
/// </summary>
public sealed partial class TriageWorker(ChannelReader<StoredSignal> committed, CallService calls, ILogger<TriageWorker> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
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

        var batch = new List<StoredSignal>(MaxBatch);
        while (await committed.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && committed.TryRead(out var signal))
            {
                batch.Add(signal);
            }

            await TriageBatchAsync(batch, stoppingToken);
        }
    }

    private async Task TriageBatchAsync(IReadOnlyList<StoredSignal> batch, CancellationToken stoppingToken)
    {
        try
        {
            await calls.TriageAsync(batch, stoppingToken);
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

    private async Task TriageOneAsync(StoredSignal signal, CancellationToken stoppingToken)
    {
        try
        {
            await calls.TriageAsync(signal, stoppingToken);
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

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Triage of a batch of {Count} signals failed; triaging them one at a time")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
