using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Admin;

/// <summary>Small helpers for reading rows and recognising constraint failures.</summary>
internal static class Db
{
    public static string? Str(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static long? Long(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);

    public static DateTimeOffset? Time(this SqliteDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));

    public static object Value(object? value) => value ?? DBNull.Value;

    public static bool IsUniqueViolation(this SqliteException ex) => ex.SqliteErrorCode == 19 && ex.Message.Contains("UNIQUE", StringComparison.Ordinal);

    public static bool IsForeignKeyViolation(this SqliteException ex) => ex.SqliteErrorCode == 19 && ex.Message.Contains("FOREIGN KEY", StringComparison.Ordinal);

    public static SqliteCommand Query(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, Value(value));
        }

        return command;
    }
}
