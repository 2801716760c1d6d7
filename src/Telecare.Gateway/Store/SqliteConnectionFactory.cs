using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Opens connections to the one database file with the pragmas durability depends on.</summary>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _readerConnectionString;

    public SqliteConnectionFactory(string databasePath)
    {
        DatabasePath = System.IO.Path.GetFullPath(databasePath);
        var directory = System.IO.Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        // Readers have a pool of their own, opened read-only: SQLite refuses a write on them, and a pooled connection
        // needs no pragmas each time it is handed out (they cost a parse and a step per open, several per signal).
        _readerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>A connection for the single writer: WAL and synchronous=FULL, so a commit survives power loss.</summary>
    public SqliteConnection OpenWriter()
    {
        var connection = Open();
        Exec(connection, "PRAGMA query_only=OFF; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;");
        return connection;
    }

    /// <summary>A read-only connection; WAL lets readers run beside the writer. The file must exist (the writer creates it).</summary>
    public SqliteConnection OpenReader() => Open(_readerConnectionString);

    private SqliteConnection Open(string? connectionString = null)
    {
        var connection = new SqliteConnection(connectionString ?? _connectionString);
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
