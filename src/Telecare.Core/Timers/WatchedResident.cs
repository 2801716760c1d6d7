namespace Telecare.Core.Timers;

/// <summary>A resident's expected activity and when its rules were set: occurrences due before that are not raised.</summary>
public sealed record WatchedResident(ResidentActivity Activity, DateTimeOffset RulesSetAt);
