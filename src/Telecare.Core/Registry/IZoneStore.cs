namespace Telecare.Core.Registry;

/// <summary>Port: zones. Every change is audited in the same commit as the change.</summary>
public interface IZoneStore
{
    /// <summary>All zones by name.</summary>
    ValueTask<IReadOnlyList<Zone>> ListAsync(CancellationToken cancellationToken = default);

    ValueTask<Zone?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Creates (<paramref name="id"/> null) or updates a zone: <see cref="SaveOutcome.Duplicate"/> when the name is taken.</summary>
    ValueTask<SaveResult<Zone>> SaveAsync(long? id, ZoneDraft zone, string actor, CancellationToken cancellationToken = default);
}
