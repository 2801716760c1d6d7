using Microsoft.Data.Sqlite;
using Telecare.Core.Calls;
using Telecare.Core.History;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Store.History;

/// <summary>Calls as stored, read on the reader pool; a call is loaded with its timeline as the writer keeps it (<see cref="CallRecords"/>).</summary>
internal sealed class SqliteCallHistory(SqliteConnectionFactory store) : ICallHistory
{
    public ValueTask<Call?> GetAsync(long callId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        return ValueTask.FromResult(CallRecords.LoadOne(connection, callId));
    }

    public ValueTask<IReadOnlyList<Call>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        var ids = Ids(connection, "SELECT id FROM calls ORDER BY id DESC LIMIT $count", ("$count", count));
        return ValueTask.FromResult<IReadOnlyList<Call>>(Load(connection, ids));
    }

    public ValueTask<IReadOnlyList<CallSummary>> ForResidentAsync(long residentId, long exceptCallId, int count, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT id, event_type, state, outcome, raised_at FROM calls WHERE resident_id = $resident AND id <> $call
            ORDER BY raised_at DESC LIMIT $count
            """, ("$resident", residentId), ("$call", exceptCallId), ("$count", count));
        using var reader = command.ExecuteReader();
        var calls = new List<CallSummary>();
        while (reader.Read())
        {
            calls.Add(new CallSummary(reader.GetInt64(0), reader.GetString(1), Enum.Parse<CallState>(reader.GetString(2)), reader.GetStringOrNull(3),
                reader.GetTime(4)));
        }

        return ValueTask.FromResult<IReadOnlyList<CallSummary>>(calls);
    }

    public ValueTask<IReadOnlyList<CallSignal>> SignalsAsync(long callId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            "SELECT id, device_ref, event_type, restore, received_at, source FROM signals WHERE call_id = $id ORDER BY id", ("$id", callId));
        using var reader = command.ExecuteReader();
        var signals = new List<CallSignal>();
        while (reader.Read())
        {
            signals.Add(new CallSignal(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFlag(3), reader.GetTime(4),
                (SignalSource)reader.GetInt32(5)));
        }

        return ValueTask.FromResult<IReadOnlyList<CallSignal>>(signals);
    }

    /// <summary>The ids a query answers, read to the end before any call is loaded on the same connection.</summary>
    internal static List<long> Ids(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    internal static List<Call> Load(SqliteConnection connection, List<long> ids) =>
        [.. ids.Select(id => CallRecords.LoadOne(connection, id)).OfType<Call>()];
}
