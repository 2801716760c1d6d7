namespace Telecare.Core.Store;

/// <summary>
/// One unit of work in the store's single writer. Everything a unit writes commits together with the rest of its
/// batch, or not at all; what the unit changes in memory is registered here so that it happens exactly when its rows
/// become durable. Only the writer's thread runs a unit, one at a time, in commit order.
/// </summary>
public interface IStoreUnit
{
    /// <summary>Runs after the batch commits, in the order registered, if this unit was kept. Must be quick and not throw.</summary>
    void OnCommitted(Action action);

    /// <summary>Undoes an in-memory change when the unit (or savepoint) it belongs to is rolled back, or the batch fails; newest first.</summary>
    void OnRolledBack(Action action);

    /// <summary>
    /// Runs <paramref name="work"/> inside a savepoint of its own: when it throws (not an infrastructure error, which
    /// fails the batch) its rows and in-memory changes are undone, the rest of the unit stands and the error is returned.
    /// </summary>
    Exception? TrySavepoint(Action work);

    /// <summary>True when <paramref name="error"/> is the store's own trouble (disk, file, locks), which fails the batch, not the unit's.</summary>
    bool IsStoreFailure(Exception error);
}
