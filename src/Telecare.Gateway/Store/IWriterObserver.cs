namespace Telecare.Gateway.Store;

/// <summary>Watches the writer's connection and its units; called on the writer's thread only.</summary>
public interface IWriterObserver
{
    /// <summary>A writer connection was opened (again, after a failed commit); no transaction is open yet.</summary>
    void Opened(WriteContext context);

    /// <summary>A unit ran without error; its savepoint is still open, so it may read what it wrote.</summary>
    void UnitKept(WriteContext context);

    void UnitRolledBack();
}
