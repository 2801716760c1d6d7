using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Signals;

/// <summary>Settings for the signal sink and the HTTP ingest (section "Signals").</summary>
public sealed class SignalOptions
{
    public const string Section = "Signals";

    /// <summary>How long a signal without a sequence is recognised again by the hash of its raw frame.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int DedupeWindowSeconds { get; set; } = 600;

    /// <summary>Largest accepted POST /api/v1/signals body.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
