using Telecare.Core.Timers;

namespace Telecare.Core.Registry;

/// <summary>A resident's expected-activity rules and when they were last set (occurrences due before that are not raised).</summary>
public sealed record ExpectedActivityRules(long ResidentId, IReadOnlyList<ExpectedActivityDefinition> Rules, DateTimeOffset? SetAt);
