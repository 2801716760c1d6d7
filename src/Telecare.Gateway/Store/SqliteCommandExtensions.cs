using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Commands with their parameters in one call; a null value is bound as SQL NULL.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>A command on a reader connection.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.With(parameters);
    }

    /// <summary>A command bound to the writer's batch transaction.</summary>
    public static SqliteCommand Command(this WriteContext context, string sql, params (string Name, object? Value)[] parameters) =>
        context.Command(sql).With(parameters);

    private static SqliteCommand With(this SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
