using Telecare.Core.Timers;

namespace Telecare.Core.Registry;

/// <summary>
/// Port: residents with their contacts and expected-activity rules. Every change, and every reveal of access details,
/// is audited in the same commit, so there is no reveal without its record.
/// </summary>
public interface IResidentStore
{
    /// <summary>Up to 200 residents by surname, optionally those whose name, address, phone, postcode or a contact's phone contains <paramref name="search"/>.</summary>
    ValueTask<IReadOnlyList<Resident>> SearchAsync(string? search, CancellationToken cancellationToken = default);

    ValueTask<Resident?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Creates (<paramref name="id"/> null) or updates a resident: <see cref="SaveOutcome.ZoneMissing"/> or <see cref="SaveOutcome.NotFound"/>.</summary>
    ValueTask<SaveResult<Resident>> SaveAsync(long? id, ResidentDraft resident, string actor, CancellationToken cancellationToken = default);

    /// <summary>Reads the protected access details and writes the audit row (<paramref name="via"/> as its detail) in one unit.</summary>
    ValueTask<RevealedAccessDetails> RevealAccessDetailsAsync(long residentId, string actor, string? via = null, CancellationToken cancellationToken = default);

    /// <summary>The resident's rules, or null when there is no such resident.</summary>
    ValueTask<ExpectedActivityRules?> GetExpectedActivityAsync(long residentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the resident's rules (an empty list stops the monitoring); null when there is no such resident.</summary>
    ValueTask<ExpectedActivityRules?> SetExpectedActivityAsync(
        long residentId, IReadOnlyList<ExpectedActivityDefinition> rules, string actor, CancellationToken cancellationToken = default);
}
