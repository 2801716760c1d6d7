using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>What a unit of work sees inside the writer's current batch transaction.</summary>
public sealed class WriteContext
{
    internal WriteContext(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; internal set; } = null!;

    /// <summary>A command bound to the batch transaction.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}
