using System.Globalization;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Store;

/// <summary>
/// Online backups with SQLite's backup API: a consistent copy while the gateway keeps writing. Runs on a schedule
/// and on demand (POST /api/v1/admin/backup), keeping the newest N files.
/// </summary>
public sealed partial class BackupService(
    SqliteConnectionFactory factory,
    IOptions<StoreOptions> options,
    TelecarePaths? paths,
    TimeProvider time,
    ILogger<BackupService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public string Folder => paths?.Resolve(options.Value.BackupFolder) ?? Path.GetFullPath(options.Value.BackupFolder);

    /// <summary>Writes a backup file and returns its path.</summary>
    public async Task<string> BackupNowAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Folder);
            var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fffffff", CultureInfo.InvariantCulture);
            var target = Path.Combine(Folder, $"telecare-{stamp}.db");
            await Task.Run(() =>
            {
                using var source = factory.OpenReader();
                using var destination = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={target};Pooling=False");
                destination.Open();
                source.BackupDatabase(destination);
            }, cancellationToken);
            Prune();
            LogBackupWritten(logger, target);
            return target;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BackupIntervalMinutes;
        if (interval <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(interval), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await BackupNowAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBackupFailed(logger, ex, Folder);
            }
        }
    }

    private void Prune()
    {
        var old = new DirectoryInfo(Folder).GetFiles("telecare-*.db")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(options.Value.BackupsToKeep);
        foreach (var file in old)
        {
            file.Delete();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup written to {Path}")]
    private static partial void LogBackupWritten(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled backup to {Folder} failed")]
    private static partial void LogBackupFailed(ILogger logger, Exception exception, string folder);
}
