using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Health;

/// <summary>
/// Tells people when the store cannot commit, and when it can again. A failed commit (disk full, file made
/// read-only, disk errors) raises the critical "store-unavailable" alert on every console; readiness is false from
/// the same writer. While it lasts a probe write every second finds the moment the store takes writes again, even
/// when no source is sending, and the alert is cleared: ingest needs nobody to restart anything. While healthy, a
/// probe every <see cref="StoreOptions.HealthProbeSeconds"/> finds a disk that went bad while nothing was written.
/// A commit that fails nothing but never ends (a disk that hangs, the file locked by another program) raises
/// "store-stalled" once it has run <see cref="StoreOptions.StallAlertSeconds"/>, and clears it when it ends.
/// </summary>
public sealed partial class StoreHealthMonitor(
    StoreWriter writer,
    SystemAlerts alerts,
    IOptions<StoreOptions> options,
    TimeProvider time,
    ILogger<StoreHealthMonitor> logger) : BackgroundService
{
    public const string AlertCode = "store-unavailable";

    public const string StallAlertCode = "store-stalled";

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private Task _probe = Task.CompletedTask;
    private DateTimeOffset _nextProbe = DateTimeOffset.MinValue;

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
        // The probe runs beside the loop, never awaited by it: on a disk that hangs it would not return, and the loop
        // must go on watching. Its outcome comes back through HealthChanged.
        if (_probe.IsCompleted && (!writer.IsHealthy || time.GetUtcNow() >= _nextProbe))
        {
            _nextProbe = time.GetUtcNow().AddSeconds(options.Value.HealthProbeSeconds);
            _probe = ProbeAsync(stoppingToken);
        }

        await ChangedWithinAsync(Tick, stoppingToken);
        Reconcile();
    }

    private async Task ProbeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await writer.ProbeAsync(stoppingToken);
        }
        catch (StoreUnavailableException)
        {
            // The writer now reports the failure; the alert follows from it.
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Reconcile()
    {
        var healthy = writer.IsHealthy;
        var active = alerts.Active;
        var downShown = active.Any(a => a.Code == AlertCode);
        var stallShown = active.Any(a => a.Code == StallAlertCode);
        if (!healthy && !downShown)
        {
            var error = writer.LastCommitError;
            LogStoreDown(logger, error, options.Value.Path);
            alerts.Raise(AlertCode, SystemAlerts.Critical,
                $"The store cannot save ({error?.Message ?? "unknown error"}). New alarms are not acknowledged, so devices and receivers keep them and send again. Technical staff must act now.");
        }
        else if (healthy && downShown)
        {
            LogStoreBack(logger, options.Value.Path);
            alerts.Clear(AlertCode, "The store saves again; alarms held by devices and receivers are coming in.");
        }

        var busy = writer.BusyFor;
        var stalled = busy >= TimeSpan.FromSeconds(options.Value.StallAlertSeconds);
        if (stalled && !stallShown)
        {
            LogStoreStalled(logger, busy!.Value.TotalSeconds, options.Value.Path);
            alerts.Raise(StallAlertCode, SystemAlerts.Critical,
                $"A save to the store has not finished for {busy.Value.TotalSeconds:0} s (a disk that hangs, or the file locked by another program). New alarms are not acknowledged until it does, so devices and receivers keep them. Technical staff must act now.");
        }
        else if (!stalled && stallShown)
        {
            LogStoreUnstalled(logger, options.Value.Path);
            alerts.Clear(StallAlertCode, "The store's saves finish again; alarms held by devices and receivers are coming in.");
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

    [LoggerMessage(EventId = 1103, Level = LogLevel.Critical, Message = "A commit to the store {Path} has run for {Seconds:0} s without ending: sources are not acknowledged until it does")]
    private static partial void LogStoreStalled(ILogger logger, double seconds, string path);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Commits to the store {Path} finish again")]
    private static partial void LogStoreUnstalled(ILogger logger, string path);
}
