using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Opens connections to the one database file with the pragmas durability depends on.</summary>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;

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
    }

    public string DatabasePath { get; }

    /// <summary>A connection for the single writer: WAL and synchronous=FULL, so a commit survives power loss.</summary>
    public SqliteConnection OpenWriter()
    {
        var connection = Open();
        Exec(connection, "PRAGMA query_only=OFF; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>A connection for reading; WAL lets readers run beside the writer.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = Open();
        Exec(connection, "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA query_only=ON;");
        return connection;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
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
