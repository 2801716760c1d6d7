using Microsoft.Data.Sqlite;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// Reads the gateway's SQLite file itself (read-only) and holds the ledgers against it: an acknowledged signal that
/// is not there is lost, one that is there more than once is duplicated.
/// </summary>
public sealed class SoakStoreAudit(string databasePath)
{
    private const int MqttSource = 1;
    private const int SerialSource = 2;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Committed signals not triaged yet (a restart finishes them).</summary>
    public long Untriaged()
    {
        using var connection = Open();
        return Scalar(connection, "SELECT COUNT(*) FROM signals WHERE triaged = 0 AND rejection_reason IS NULL");
    }

    /// <summary>Ids of the calls the consoles must show: every call not closed or cancelled.</summary>
    public HashSet<long> UnfinishedCallIds()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM calls WHERE state NOT IN ('Closed', 'Cancelled')";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>Residents with more than one open alarm call: a press while a call is open must join it, never double it.</summary>
    public long ResidentsWithDoubledCalls()
    {
        using var connection = Open();
        return Scalar(connection, """
            SELECT COUNT(*) FROM (SELECT resident_id FROM calls
                                  WHERE kind = 'Alarm' AND state NOT IN ('Resolved', 'Closed', 'Cancelled') AND resident_id IS NOT NULL
                                  GROUP BY resident_id HAVING COUNT(*) > 1)
            """);
    }

    public SoakTally Mqtt(IReadOnlyCollection<string> devices, IReadOnlyCollection<(string Device, long Seq)> ledger, long sent)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT device_ref, sequence, COUNT(*) FROM signals
            WHERE source = {MqttSource} AND event_type = 'pendant.press' AND sequence > 0 AND device_ref IN ({InList(command, "d", devices)})
            GROUP BY device_ref, sequence
            """;

        var stored = new Dictionary<(string, long), long>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[(reader.GetString(0), reader.GetInt64(1))] = reader.GetInt64(2);
            }
        }

        return Tally(sent, ledger, stored);
    }

    /// <param name="accounts">Only these accounts (rx1/1000 …), when other lines share the receiver; null: every account of rx1.</param>
    public SoakTally Serial(IReadOnlyList<string> ledgerTexts, Func<string, byte[]> frame, long sent, IReadOnlyList<string>? accounts = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        var only = accounts is null ? "device_ref LIKE 'rx1/%'" : $"device_ref IN ({InList(command, "a", accounts)})";
        command.CommandText = $"SELECT raw_frame, COUNT(*) FROM signals WHERE source = {SerialSource} AND {only} AND rejection_reason IS NULL GROUP BY raw_frame";
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored[Convert.ToHexString((byte[])reader.GetValue(0))] = reader.GetInt64(1);
            }
        }

        return Tally(sent, [.. ledgerTexts.Select(t => Convert.ToHexString(frame(t)))], stored);
    }

    /// <summary>Serial lines stored as rejected (with their reason): what the gateway NAKed.</summary>
    public long SerialRejected()
    {
        using var connection = Open();
        return Scalar(connection, $"SELECT COUNT(*) FROM signals WHERE source = {SerialSource} AND rejection_reason IS NOT NULL");
    }

    private static SoakTally Tally<TKey>(long sent, IReadOnlyCollection<TKey> ledger, Dictionary<TKey, long> stored)
        where TKey : notnull
    {
        var lost = ledger.LongCount(key => !stored.ContainsKey(key));
        // Any signal stored more than once is a duplicate, whether or not its source saw the ACK.
        var duplicated = stored.Values.Where(c => c > 1).Sum(c => c - 1);
        return new SoakTally(sent, ledger.Count, stored.Count, lost, duplicated);
    }

    /// <summary>Adds one parameter per value ($name0, $name1 …) and returns them as the inside of an IN list.</summary>
    private static string InList(SqliteCommand command, string name, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            names.Add($"${name}{names.Count}");
            command.Parameters.AddWithValue(names[^1], value);
        }

        return string.Join(',', names);
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>One source's count: signals sent, acknowledged (the ledger), stored (distinct), lost and duplicated.</summary>
public sealed record SoakTally(long Sent, long Acknowledged, long Stored, long Lost, long Duplicated)
{
    public SoakTally Plus(SoakTally other) => new(Sent + other.Sent, Acknowledged + other.Acknowledged, Stored + other.Stored,
        Lost + other.Lost, Duplicated + other.Duplicated);
}
