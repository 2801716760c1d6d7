using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Watches the writer's connection and its units; called on the writer's thread only.</summary>
public interface IWriterObserver
{
    /// <summary>A writer connection was opened (again, after a failed commit).</summary>
    void Opened(SqliteConnection connection);

    /// <summary>A unit ran without error; its savepoint is still open, so it may read what it wrote.</summary>
    void UnitKept(WriteContext context);

    void UnitRolledBack();
}
