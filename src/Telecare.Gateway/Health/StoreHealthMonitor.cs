using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Health;

/// <summary>
/// Tells people when the store cannot commit, and when it can again. A failed commit (disk full, file made
/// read-only, disk errors) raises the critical "store-unavailable" alert on every console; readiness is false from
/// the same writer. While it lasts a probe write every second finds the moment the store takes writes again, even
/// when no source is sending, and the alert is cleared: ingest needs nobody to restart anything. While healthy, a
/// probe every <see cref="StoreOptions.HealthProbeSeconds"/> finds a disk that went bad while nothing was written.
/// </summary>
public sealed partial class StoreHealthMonitor(
    StoreWriter writer,
    SystemAlerts alerts,
    IOptions<StoreOptions> options,
    TimeProvider time,
    ILogger<StoreHealthMonitor> logger) : BackgroundService
{
    public const string AlertCode = "store-unavailable";

    private static readonly TimeSpan ProbeWhileDown = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        writer.HealthChanged += OnHealthChanged;
        try
        {
            await LoopPolicy.RunAsync(nameof(StoreHealthMonitor), RoundAsync, time, logger, stoppingToken);
        }
        finally
        {
            writer.HealthChanged -= OnHealthChanged;
        }
    }

    // On the writer's thread: only a note for the loop, which does the work.
    private void OnHealthChanged(bool healthy) => _changed.Writer.TryWrite(healthy);

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        Reconcile();
        var interval = writer.IsHealthy ? TimeSpan.FromSeconds(options.Value.HealthProbeSeconds) : ProbeWhileDown;
        if (!await ChangedWithinAsync(interval, stoppingToken))
        {
            try
            {
                await writer.ProbeAsync(stoppingToken);
            }
            catch (StoreUnavailableException)
            {
                // The writer now reports the failure; the alert follows from it below.
            }
        }

        Reconcile();
    }

    private void Reconcile()
    {
        var healthy = writer.IsHealthy;
        var active = alerts.Active.Any(a => a.Code == AlertCode);
        if (!healthy && !active)
        {
            var error = writer.LastCommitError;
            LogStoreDown(logger, error, options.Value.Path);
            alerts.Raise(AlertCode, SystemAlerts.Critical,
                $"The store cannot save ({error?.Message ?? "unknown error"}). New alarms are not acknowledged, so devices and receivers keep them and send again. Technical staff must act now.");
        }
        else if (healthy && active)
        {
            LogStoreBack(logger, options.Value.Path);
            alerts.Clear(AlertCode, "The store saves again; alarms held by devices and receivers are coming in.");
        }
    }

    private async Task<bool> ChangedWithinAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stoppingToken);
        try
        {
            await _changed.Reader.ReadAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "The store {Path} cannot commit: sources are not acknowledged and readiness is false until it can")]
    private static partial void LogStoreDown(ILogger logger, Exception? exception, string path);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The store {Path} commits again; ingest resumes")]
    private static partial void LogStoreBack(ILogger logger, string path);
}
