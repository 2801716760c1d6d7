using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

public static class ZoneEndpoints
{
    public sealed class ZoneRequest
    {
        [Required]
        [StringLength(100, MinimumLength = 1)]
        public string? Name { get; set; }

        [Range(1, 24 * 60)]
        public int? AttendanceTargetMinutes { get; set; }
    }

    public sealed record ZoneView(long Id, string Name, int AttendanceTargetMinutes);

    public static void Map(RouteGroupBuilder api)
    {
        var zones = api.MapGroup("/zones").WithTags("Zones");
        zones.MapGet("/", (SqliteConnectionFactory store) => TypedResults.Ok(List(store))).RequireAuthorization(Policies.Staff);
        zones.MapGet("/{id:long}", (long id, SqliteConnectionFactory store) =>
            List(store, id).FirstOrDefault() is { } zone ? Results.Ok(zone) : JsonBody.NotFound($"Zone {id}")).RequireAuthorization(Policies.Staff);
        zones.MapPost("/", (HttpContext http, StoreWriter writer, TimeProvider time) => SaveAsync(http, writer, time, null)).RequireAuthorization(Policies.Administer);
        zones.MapPut("/{id:long}", (long id, HttpContext http, StoreWriter writer, TimeProvider time) => SaveAsync(http, writer, time, id)).RequireAuthorization(Policies.Administer);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, StoreWriter writer, TimeProvider time, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ZoneRequest>(http);
        if (error is not null)
        {
            return error;
        }

        try
        {
            return await writer.ExecuteAsync<IResult>(context =>
            {
                var now = time.GetUtcNow();
                var target = body!.AttendanceTargetMinutes ?? 45;
                using var command = id is null
                    ? context.Command("INSERT INTO zones (name, attendance_target_minutes, created_at) VALUES ($name, $target, $now) RETURNING id")
                    : context.Command("UPDATE zones SET name = $name, attendance_target_minutes = $target WHERE id = $id RETURNING id");
                command.Parameters.AddWithValue("$name", body.Name!.Trim());
                command.Parameters.AddWithValue("$target", target);
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$id", Db.Value(id));
                if (command.ExecuteScalar() is not long saved)
                {
                    return JsonBody.NotFound($"Zone {id}");
                }

                Audit.Write(context, now, http.User, id is null ? "zone.create" : "zone.update", $"zone/{saved}");
                var view = new ZoneView(saved, body.Name.Trim(), target);
                return id is null ? TypedResults.Created($"/api/v1/zones/{saved}", view) : TypedResults.Ok(view);
            });
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return JsonBody.Conflict($"A zone named '{body!.Name}' already exists.");
        }
    }

    internal static List<ZoneView> List(SqliteConnectionFactory store, long? id = null)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT id, name, attendance_target_minutes FROM zones WHERE $id IS NULL OR id = $id ORDER BY name", ("$id", id));
        using var reader = command.ExecuteReader();
        var zones = new List<ZoneView>();
        while (reader.Read())
        {
            zones.Add(new ZoneView(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return zones;
    }
}
