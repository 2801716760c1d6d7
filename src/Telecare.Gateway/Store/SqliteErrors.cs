using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Recognises constraint failures, so a store can answer them as a result instead of an exception.</summary>
internal static class SqliteErrors
{
    private const int Constraint = 19;

    public static bool IsConstraintViolation(SqliteException ex) => ex.SqliteErrorCode == Constraint;

    public static bool IsUniqueViolation(SqliteException ex) =>
        ex.SqliteErrorCode == Constraint && ex.Message.Contains("UNIQUE", StringComparison.Ordinal);
}
