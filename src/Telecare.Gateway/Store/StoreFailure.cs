using Microsoft.Data.Sqlite;

namespace Telecare.Gateway.Store;

/// <summary>Tells the store's own trouble (disk, file, locks) apart from a unit of work's mistake (a constraint, a bug).</summary>
public static class StoreFailure
{
    // SQLite primary result codes: BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB.
    private static readonly int[] Infrastructure = [5, 6, 7, 8, 10, 11, 13, 14, 15, 26];

    /// <summary>
    /// True when the error is the store's, not the unit's: the whole batch fails as "store unavailable" (nothing
    /// acknowledged, readiness false) instead of one unit being reported as a bad request.
    /// </summary>
    public static bool IsInfrastructure(Exception error) =>
        error is SqliteException sqlite && Array.IndexOf(Infrastructure, sqlite.SqliteErrorCode & 0xFF) >= 0;

    /// <summary>The store's trouble, found now (<see cref="IsInfrastructure"/>) or already reported as unavailable: it fails the batch, never just a unit.</summary>
    public static bool IsStoreFailure(Exception error) => error is StoreUnavailableException || IsInfrastructure(error);
}
