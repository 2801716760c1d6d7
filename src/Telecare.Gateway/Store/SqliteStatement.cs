using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Telecare.Gateway.Store;

/// <summary>
/// A statement of the alarm path, compiled once on the writer's connection and bound by position (<c>?1</c>, <c>?2</c>
/// …) straight through SQLite's own API. The ADO.NET command allocates a parameter object, a binder and a UTF-8 copy
/// of each name on every execution, which was two thirds of what a signal allocated; binding a long, a string's
/// characters or a span of bytes here allocates nothing. Errors surface as <see cref="SqliteException"/> with
/// SQLite's codes, like everything else in the store, so <see cref="StoreFailure"/> tells them apart the same way.
/// Only the writer's thread uses one, and each execution leaves it reset.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    internal SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    public SqliteStatement Bind(int index, long value) => Checked(raw.sqlite3_bind_int64(_statement, index, value));

    public SqliteStatement Bind(int index, long? value) =>
        value is { } v ? Bind(index, v) : Checked(raw.sqlite3_bind_null(_statement, index));

    public SqliteStatement Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public SqliteStatement Bind(int index, string? value) =>
        value is null ? Checked(raw.sqlite3_bind_null(_statement, index)) : Checked(raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value) => Checked(raw.sqlite3_bind_blob(_statement, index, value));

    public SqliteStatement Bind(int index, DateTimeOffset? value) => Bind(index, value?.ToUnixTimeMilliseconds());

    /// <summary>Runs the statement to its end; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Error(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs an INSERT and returns the new row's id.</summary>
    public long Insert()
    {
        Execute();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>The first row's integer columns, or false when there is none.</summary>
    public bool TryReadFirst(out long first, out long second)
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW)
            {
                first = raw.sqlite3_column_int64(_statement, 0);
                second = raw.sqlite3_column_int64(_statement, 1);
                return true;
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Error(rc);
            }

            first = second = 0;
            return false;
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    private SqliteStatement Checked(int rc) => rc == raw.SQLITE_OK ? this : throw Error(rc);

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
