using Microsoft.Data.Sqlite;
using Telecare.Core.Audit;
using Telecare.Core.Registry;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Registry;

internal sealed class SqliteZoneStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IZoneStore
{
    public ValueTask<IReadOnlyList<Zone>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<Zone>>(Read(null));

    public ValueTask<Zone?> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(id).FirstOrDefault());

    public async ValueTask<SaveResult<Zone>> SaveAsync(long? id, ZoneDraft zone, string actor, CancellationToken cancellationToken = default)
    {
        try
        {
            return await writer.ExecuteAsync(context =>
            {
                var now = time.GetUtcNow();
                using var command = id is null
                    ? context.Command("INSERT INTO zones (name, attendance_target_minutes, created_at) VALUES ($name, $target, $now) RETURNING id")
                    : context.Command("UPDATE zones SET name = $name, attendance_target_minutes = $target WHERE id = $id RETURNING id");
                command.Parameters.AddWithValue("$name", zone.Name);
                command.Parameters.AddWithValue("$target", zone.AttendanceTargetMinutes);
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
                if (command.ExecuteScalar() is not long saved)
                {
                    return SaveResult<Zone>.Failed(SaveOutcome.NotFound);
                }

                AuditTrail.Append(context, now, actor, id is null ? AuditActions.ZoneCreate : AuditActions.ZoneUpdate, $"zone/{saved}");
                return SaveResult<Zone>.Saved(new Zone(saved, zone.Name, zone.AttendanceTargetMinutes));
            }, cancellationToken);
        }
        catch (SqliteException ex) when (SqliteErrors.IsUniqueViolation(ex))
        {
            return SaveResult<Zone>.Failed(SaveOutcome.Duplicate);
        }
    }

    private List<Zone> Read(long? id)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            "SELECT id, name, attendance_target_minutes FROM zones WHERE $id IS NULL OR id = $id ORDER BY name", ("$id", id));
        using var reader = command.ExecuteReader();
        var zones = new List<Zone>();
        while (reader.Read())
        {
            zones.Add(new Zone(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return zones;
    }
}
