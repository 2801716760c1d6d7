namespace Telecare.Core.Timers;

/// <summary>
/// What is known about a resident's activity, from their sensors' signals. <see cref="LastRaised"/> maps an
/// expectation's name to the occurrence it last raised a wellbeing call for (the deadline instant for
/// NoMovementBy, the out-of-bed start for OutOfBedLongerThan), so each occurrence raises one call, also
/// after a restart when the gateway rebuilds this from its store.
/// </summary>
public sealed record ResidentActivity(
    string ResidentId,
    string? Zone,
    IReadOnlyList<ExpectedActivity> Expectations,
    DateTimeOffset? LastMovementAt,
    DateTimeOffset? OutOfBedSince,
    IReadOnlyDictionary<string, DateTimeOffset>? LastRaised = null);
