using System.ComponentModel.DataAnnotations;
using Telecare.Core.Registry;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        zones.MapGet("/", async (IZoneStore store) => TypedResults.Ok((await store.ListAsync()).Select(View).ToList())).RequireAuthorization(Policies.Staff);
        zones.MapGet("/{id:long}", async (long id, IZoneStore store) =>
            await store.GetAsync(id) is { } zone ? Results.Ok(View(zone)) : JsonBody.NotFound($"Zone {id}")).RequireAuthorization(Policies.Staff);
        zones.MapPost("/", (HttpContext http, IZoneStore store) => SaveAsync(http, store, null)).RequireAuthorization(Policies.Administer);
        zones.MapPut("/{id:long}", (long id, HttpContext http, IZoneStore store) => SaveAsync(http, store, id)).RequireAuthorization(Policies.Administer);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, IZoneStore store, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ZoneRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var saved = await store.SaveAsync(id, new ZoneDraft(body!.Name!.Trim(), body.AttendanceTargetMinutes ?? 45), AuditActor.Of(http.User));
        return saved switch
        {
            { Outcome: SaveOutcome.Saved, Value: { } zone } when id is null => TypedResults.Created($"/api/v1/zones/{zone.Id}", View(zone)),
            { Outcome: SaveOutcome.Saved, Value: { } zone } => TypedResults.Ok(View(zone)),
            { Outcome: SaveOutcome.Duplicate } => JsonBody.Conflict($"A zone named '{body.Name}' already exists."),
            _ => JsonBody.NotFound($"Zone {id}"),
        };
    }

    private static ZoneView View(Zone zone) => new(zone.Id, zone.Name, zone.AttendanceTargetMinutes);
}
