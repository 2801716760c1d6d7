using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Reading nullable columns; times are stored as Unix milliseconds.</summary>
internal static class SqliteReaderExtensions
{
    public static string? GetStringOrNull(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);

    public static int? GetInt32OrNull(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);

    public static double? GetDoubleOrNull(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    public static bool GetFlag(this SqliteDataReader reader, int i) => reader.GetInt64(i) == 1;

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int i) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetTime(i);
}
