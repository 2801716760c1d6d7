namespace Telecare.Core.Store;

/// <summary>
/// Port: the store's single group-commit writer. <see cref="ExecuteAsync{T}"/> completes only after the batch holding
/// the unit is durable (that is the receipt); it throws the store's "unavailable" error when the batch could not
/// commit, or the unit's own exception when the unit alone was rolled back.
/// </summary>
public interface IStoreWriter
{
    Task<T> ExecuteAsync<T>(Func<IStoreUnit, T> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ExecuteAsync{T}"/> for a unit that leaves nothing half-done by itself — each of its writes is one
    /// statement or sits in <see cref="IStoreUnit.TrySavepoint"/>, and it throws only the store's own errors — so it
    /// needs no savepoint of its own: every page a savepoint's unit writes is first copied to SQLite's sub-journal, which
    /// was a large part of a signal's cost. Such a unit that throws must have written nothing.
    /// </summary>
    Task<T> ExecuteSelfContainedAsync<T>(Func<IStoreUnit, T> work, CancellationToken cancellationToken = default);
}
