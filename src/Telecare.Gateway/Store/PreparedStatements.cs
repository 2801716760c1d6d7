using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>
/// The writer connection's commands by SQL text. A command keeps its compiled statements between executions, so each
/// statement is compiled once per connection instead of on every use (that compiling was a quarter of the writer's
/// time). Bounded, so SQL with values written into its text cannot grow it without end.
/// </summary>
internal sealed class PreparedStatements(SqliteConnection connection) : IDisposable
{
    private const int MaxStatements = 512;
    private readonly Dictionary<string, ReusedCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(string sql, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxStatements)
            {
                return new SqliteCommand(sql, connection, transaction);
            }

            command = new ReusedCommand(sql, connection);
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Release();
        }

        _commands.Clear();
    }

    /// <summary>A command whose Dispose (a caller's <c>using</c>) keeps its compiled statements for the next use.</summary>
    private sealed class ReusedCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private bool _released;

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released)
            {
                base.Dispose(disposing);
            }
        }
    }
}
