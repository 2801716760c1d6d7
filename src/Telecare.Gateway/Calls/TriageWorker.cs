using System.Threading.Channels;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Takes committed signals to triage, one at a time in commit order. At start it first finishes any signal that
/// was committed (and acknowledged) but not triaged when the gateway last stopped.
/// </summary>
public sealed partial class TriageWorker(ChannelReader<StoredSignal> committed, CallService calls, ILogger<TriageWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        calls.Load();
        var backlog = calls.Untriaged();
        if (backlog.Count > 0)
        {
            LogCatchUp(logger, backlog.Count);
        }

        foreach (var signal in backlog)
        {
            await TriageOneAsync(signal, stoppingToken);
        }

        await foreach (var signal in committed.ReadAllAsync(stoppingToken))
        {
            await TriageOneAsync(signal, stoppingToken);
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
}
