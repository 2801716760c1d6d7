using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Tests.Support;

/// <summary>The gateway's SQLite file seen from the test process: counts read-only, and SQLite's write lock held from outside.</summary>
public static class StoreFile
{
    public static long Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Changes the file from outside, as another program (or a broken migration) would.</summary>
    public static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Takes SQLite's write lock on the file, as another process would; disposing the connection releases it.</summary>
    public static SqliteConnection HoldWriteLock(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// The raw bytes of the database file and its -wal/-shm companions. A connection the gateway returns to the pool
    /// after it stopped may still close later and, as the last one, checkpoint and delete the WAL between the listing
    /// and the read; its pages are then in the main file, so the whole set is read again.
    /// </summary>
    public static IReadOnlyList<byte[]> ReadAllBytes(string databasePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        var pattern = Path.GetFileName(databasePath) + "*";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Directory.GetFiles(folder, pattern).Select(File.ReadAllBytes).ToList();
            }
            catch (FileNotFoundException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }
}
