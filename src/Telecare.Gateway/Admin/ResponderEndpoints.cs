using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

/// <summary>Night and mobile responders: their zone, whether on duty, where they are, and the login they use.</summary>
public static class ResponderEndpoints
{
    public sealed class ResponderRequest
    {
        [Required]
        [StringLength(200, MinimumLength = 1)]
        public string? Name { get; set; }

        [StringLength(40)]
        public string? Phone { get; set; }

        public long? ZoneId { get; set; }

        public bool OnDuty { get; set; }

        [Range(-90, 90)]
        public double? Latitude { get; set; }

        [Range(-180, 180)]
        public double? Longitude { get; set; }

        /// <summary>The responder-role user who signs in to the phone page as this responder.</summary>
        public long? UserId { get; set; }
    }

    public sealed record ResponderView(long Id, string Name, string? Phone, long? ZoneId, string? ZoneName, bool OnDuty, double? Latitude, double? Longitude, long? UserId, bool Active);

    public static void Map(RouteGroupBuilder api)
    {
        var responders = api.MapGroup("/responders").WithTags("Responders");
        responders.MapGet("/", (SqliteConnectionFactory store) => TypedResults.Ok(Read(store, null))).RequireAuthorization(Policies.Staff);
        responders.MapGet("/{id:long}", (long id, SqliteConnectionFactory store) =>
            Read(store, id).FirstOrDefault() is { } responder ? Results.Ok(responder) : JsonBody.NotFound($"Responder {id}")).RequireAuthorization(Policies.Staff);
        responders.MapPost("/", (HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) => SaveAsync(http, writer, store, time, null))
            .RequireAuthorization(Policies.ManageEquipment);
        responders.MapPut("/{id:long}", (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) => SaveAsync(http, writer, store, time, id))
            .RequireAuthorization(Policies.ManageEquipment);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ResponderRequest>(http);
        if (error is not null)
        {
            return error;
        }

        try
        {
            var (failure, savedId) = await writer.ExecuteAsync<(IResult? Failure, long Id)>(context =>
            {
                if (body!.ZoneId is { } zone && !ResidentEndpoints.Exists(context, "zones", zone))
                {
                    return (JsonBody.Invalid("zoneId", $"zone {zone} does not exist"), 0);
                }

                if (body.UserId is { } user)
                {
                    using var role = context.Command("SELECT role FROM users WHERE id = $id");
                    role.Parameters.AddWithValue("$id", user);
                    if (role.ExecuteScalar() as string != Roles.Responder)
                    {
                        return (JsonBody.Invalid("userId", $"user {user} does not exist or is not a responder"), 0);
                    }
                }

                using var command = id is null
                    ? context.Command("""
                        INSERT INTO responders (user_id, name, phone, zone_id, on_duty, latitude, longitude, created_at)
                        VALUES ($user, $name, $phone, $zone, $duty, $lat, $lon, $now) RETURNING id
                        """)
                    : context.Command("""
                        UPDATE responders SET user_id = $user, name = $name, phone = $phone, zone_id = $zone, on_duty = $duty,
                            latitude = $lat, longitude = $lon WHERE id = $id RETURNING id
                        """);
                var p = command.Parameters;
                p.AddWithValue("$user", Db.Value(body.UserId));
                p.AddWithValue("$name", body.Name!.Trim());
                p.AddWithValue("$phone", Db.Value(body.Phone));
                p.AddWithValue("$zone", Db.Value(body.ZoneId));
                p.AddWithValue("$duty", body.OnDuty ? 1 : 0);
                p.AddWithValue("$lat", Db.Value(body.Latitude));
                p.AddWithValue("$lon", Db.Value(body.Longitude));
                p.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
                p.AddWithValue("$id", Db.Value(id));
                if (command.ExecuteScalar() is not long saved)
                {
                    return (JsonBody.NotFound($"Responder {id}"), 0);
                }

                Audit.Write(context, time.GetUtcNow(), http.User, id is null ? "responder.create" : "responder.update", $"responder/{saved}");
                return (null, saved);
            });
            if (failure is not null)
            {
                return failure;
            }

            var view = Read(store, savedId).Single();
            return id is null ? TypedResults.Created($"/api/v1/responders/{savedId}", view) : TypedResults.Ok(view);
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return JsonBody.Conflict($"User {body!.UserId} is already linked to another responder.");
        }
    }

    internal static List<ResponderView> Read(SqliteConnectionFactory store, long? id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, """
            SELECT r.id, r.name, r.phone, r.zone_id, z.name, r.on_duty, r.latitude, r.longitude, r.user_id, r.active
            FROM responders r LEFT JOIN zones z ON z.id = r.zone_id WHERE $id IS NULL OR r.id = $id ORDER BY r.name
            """, ("$id", id));
        using var reader = command.ExecuteReader();
        var responders = new List<ResponderView>();
        while (reader.Read())
        {
            responders.Add(new ResponderView(reader.GetInt64(0), reader.GetString(1), reader.Str(2), reader.Long(3), reader.Str(4), reader.GetInt64(5) == 1,
                reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.Long(8), reader.GetInt64(9) == 1));
        }

        return responders;
    }
}
