using Microsoft.Data.Sqlite;
using Telecare.Core.Accounts;
using Telecare.Core.Audit;
using Telecare.Core.Registry;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Registry;

internal sealed class SqliteResponderStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IResponderStore
{
    public ValueTask<IReadOnlyList<Responder>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<Responder>>(Read(null));

    public ValueTask<Responder?> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(id).FirstOrDefault());

    public async ValueTask<SaveResult<Responder>> SaveAsync(long? id, ResponderDraft responder, string actor, CancellationToken cancellationToken = default)
    {
        try
        {
            var (outcome, savedId) = await writer.ExecuteAsync(context => Save(context, id, responder, actor), cancellationToken);
            return outcome == SaveOutcome.Saved ? SaveResult<Responder>.Saved(Read(savedId).Single()) : SaveResult<Responder>.Failed(outcome);
        }
        catch (SqliteException ex) when (SqliteErrors.IsUniqueViolation(ex))
        {
            return SaveResult<Responder>.Failed(SaveOutcome.Duplicate);
        }
    }

    public async ValueTask<bool> SetOnDutyAsync(long id, bool onDuty, string actor, CancellationToken cancellationToken = default) =>
        await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("UPDATE responders SET on_duty = $duty WHERE id = $id", ("$duty", onDuty ? 1 : 0), ("$id", id));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            AuditTrail.Append(context, time.GetUtcNow(), actor, onDuty ? AuditActions.ResponderOnDuty : AuditActions.ResponderOffDuty, $"responder/{id}");
            return true;
        }, cancellationToken);

    private (SaveOutcome Outcome, long Id) Save(WriteContext context, long? id, ResponderDraft responder, string actor)
    {
        if (responder.ZoneId is { } zone && !SqliteRegistryChecks.ZoneExists(context, zone))
        {
            return (SaveOutcome.ZoneMissing, 0);
        }

        if (responder.UserId is { } user)
        {
            using var role = context.Command("SELECT role FROM users WHERE id = $id", ("$id", user));
            if (role.ExecuteScalar() as string != Roles.Responder)
            {
                return (SaveOutcome.UserNotResponder, 0);
            }
        }

        using var command = context.Command(id is null
            ? """
              INSERT INTO responders (user_id, name, phone, zone_id, on_duty, latitude, longitude, created_at)
              VALUES ($user, $name, $phone, $zone, $duty, $lat, $lon, $now) RETURNING id
              """
            : """
              UPDATE responders SET user_id = $user, name = $name, phone = $phone, zone_id = $zone, on_duty = $duty,
                  latitude = $lat, longitude = $lon WHERE id = $id RETURNING id
              """,
            ("$user", responder.UserId), ("$name", responder.Name), ("$phone", responder.Phone), ("$zone", responder.ZoneId),
            ("$duty", responder.OnDuty ? 1 : 0), ("$lat", responder.Latitude), ("$lon", responder.Longitude),
            ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$id", id));
        if (command.ExecuteScalar() is not long saved)
        {
            return (SaveOutcome.NotFound, 0);
        }

        AuditTrail.Append(context, time.GetUtcNow(), actor, id is null ? AuditActions.ResponderCreate : AuditActions.ResponderUpdate, $"responder/{saved}");
        return (SaveOutcome.Saved, saved);
    }

    private List<Responder> Read(long? id)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT r.id, r.name, r.phone, r.zone_id, z.name, r.on_duty, r.latitude, r.longitude, r.user_id, r.active
            FROM responders r LEFT JOIN zones z ON z.id = r.zone_id WHERE $id IS NULL OR r.id = $id ORDER BY r.name
            """, ("$id", id));
        using var reader = command.ExecuteReader();
        var responders = new List<Responder>();
        while (reader.Read())
        {
            responders.Add(new Responder(reader.GetInt64(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetInt64OrNull(3),
                reader.GetStringOrNull(4), reader.GetFlag(5), reader.GetDoubleOrNull(6), reader.GetDoubleOrNull(7), reader.GetInt64OrNull(8),
                reader.GetFlag(9)));
        }

        return responders;
    }
}
