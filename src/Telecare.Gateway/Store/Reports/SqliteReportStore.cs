using Telecare.Core.Reports;
using Telecare.Gateway.Store.History;

namespace Telecare.Gateway.Store.Reports;

/// <summary>The KPI report's facts from SQLite: whole calls (as <see cref="KpiCallRecord.From"/> reads them) and accepted signals.</summary>
internal sealed class SqliteReportStore(SqliteConnectionFactory store) : IReportStore
{
    public ValueTask<IReadOnlyList<KpiCallRecord>> CallsRaisedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        var ids = SqliteCallHistory.Ids(connection, "SELECT id FROM calls WHERE raised_at >= $from AND raised_at < $to ORDER BY id",
            ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()));
        return ValueTask.FromResult<IReadOnlyList<KpiCallRecord>>([.. SqliteCallHistory.Load(connection, ids).Select(KpiCallRecord.From)]);
    }

    public ValueTask<IReadOnlyList<KpiSignalRecord>> SignalsReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT s.event_type, s.restore, s.received_at, z.name, s.device_ref
            FROM signals s LEFT JOIN devices d ON d.device_id = s.device_ref LEFT JOIN residents r ON r.id = d.resident_id
            LEFT JOIN zones z ON z.id = r.zone_id
            WHERE s.received_at >= $from AND s.received_at < $to AND s.rejection_reason IS NULL
            """, ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()));
        using var reader = command.ExecuteReader();
        var signals = new List<KpiSignalRecord>();
        while (reader.Read())
        {
            signals.Add(new KpiSignalRecord(reader.GetString(0), reader.GetFlag(1), reader.GetTime(2), reader.GetStringOrNull(3), reader.GetStringOrNull(4)));
        }

        return ValueTask.FromResult<IReadOnlyList<KpiSignalRecord>>(signals);
    }
}
