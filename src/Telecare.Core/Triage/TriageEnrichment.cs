namespace Telecare.Core.Triage;

/// <summary>
/// What the gateway knows about the sender when it triages a signal: the device (if registered), the
/// resident it is bound to, and their current situation. Filled from the store/cache before triage.
/// </summary>
public readonly record struct TriageEnrichment
{
    /// <summary>False for a device or account nobody registered: the decision is a technical call that says so.</summary>
    public bool DeviceKnown { get; init; }

    public string? DeviceType { get; init; }

    public string? ResidentId { get; init; }

    /// <summary>The resident's geographic zone (not a Contact ID sensor zone).</summary>
    public string? Zone { get; init; }

    public IReadOnlyList<string>? ResidentFlags { get; init; }

    /// <summary>Whether the resident already has a call that is not resolved, closed or cancelled.</summary>
    public bool CallOpenForResident { get; init; }

    /// <summary>The device is in test mode (installation): test confirmation, never a live call.</summary>
    public bool TestMode { get; init; }

    public static TriageEnrichment UnknownDevice => default;
}
