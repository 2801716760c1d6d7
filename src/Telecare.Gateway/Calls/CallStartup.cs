using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Loads the registry and the open calls, and finishes the signals left untriaged by the last stop, before the
/// gateway serves anyone, so the first console snapshot is complete. If the store cannot commit now, the start goes
/// on: the first unit that touches a call does the same work once the store is back.
/// </summary>
public sealed partial class CallStartup(CallService calls, ILogger<CallStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await calls.StartAsync(cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5105, Level = LogLevel.Error, Message = "The open calls could not be loaded at start (the store cannot commit); they load with the first write that succeeds")]
    private static partial void LogDeferred(ILogger logger, Exception exception);
}
