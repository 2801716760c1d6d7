using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Store;

/// <summary>Settings for the SQLite store (section "Store").</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Database file; relative paths are under the content root.</summary>
    [Required]
    public string Path { get; set; } = "data/telecare.db";

    /// <summary>Most writes in one group-commit transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 512;

    /// <summary>How long the writer may wait for more work to join a batch. 0 = commit what is waiting now.</summary>
    [Range(0, 50)]
    public double MaxBatchWaitMilliseconds { get; set; }

    /// <summary>Bound of the write queue; a full queue makes writers wait (never drop).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Seconds between probe writes while the store is healthy, to find a disk that failed while idle.</summary>
    [Range(1, 3600)]
    public int HealthProbeSeconds { get; set; } = 15;

    /// <summary>Seconds a commit may run before consoles are told the store has stalled (a disk that hangs rather than fails).</summary>
    [Range(1, 3600)]
    public int StallAlertSeconds { get; set; } = 10;

    /// <summary>Folder for online backups; relative paths are under the content root.</summary>
    [Required]
    public string BackupFolder { get; set; } = "data/backups";

    /// <summary>Minutes between scheduled backups; 0 turns the schedule off (on-demand still works).</summary>
    [Range(0, 7 * 24 * 60)]
    public int BackupIntervalMinutes { get; set; } = 60;

    /// <summary>How many backup files to keep.</summary>
    [Range(1, 1000)]
    public int BackupsToKeep { get; set; } = 24;
}
