using System.ComponentModel.DataAnnotations;
using Telecare.Core.Registry;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        responders.MapGet("/", async (IResponderStore store) => TypedResults.Ok((await store.ListAsync()).Select(View).ToList())).RequireAuthorization(Policies.Staff);
        responders.MapGet("/{id:long}", async (long id, IResponderStore store) =>
            await store.GetAsync(id) is { } responder ? Results.Ok(View(responder)) : JsonBody.NotFound($"Responder {id}")).RequireAuthorization(Policies.Staff);
        responders.MapPost("/", (HttpContext http, IResponderStore store) => SaveAsync(http, store, null)).RequireAuthorization(Policies.ManageEquipment);
        responders.MapPut("/{id:long}", (long id, HttpContext http, IResponderStore store) => SaveAsync(http, store, id)).RequireAuthorization(Policies.ManageEquipment);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, IResponderStore store, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ResponderRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var draft = new ResponderDraft(body!.UserId, body.Name!.Trim(), body.Phone, body.ZoneId, body.OnDuty, body.Latitude, body.Longitude);
        var saved = await store.SaveAsync(id, draft, AuditActor.Of(http.User));
        return saved switch
        {
            { Outcome: SaveOutcome.Saved, Value: { } responder } when id is null => TypedResults.Created($"/api/v1/responders/{responder.Id}", View(responder)),
            { Outcome: SaveOutcome.Saved, Value: { } responder } => TypedResults.Ok(View(responder)),
            { Outcome: SaveOutcome.ZoneMissing } => JsonBody.Invalid("zoneId", $"zone {body.ZoneId} does not exist"),
            { Outcome: SaveOutcome.UserNotResponder } => JsonBody.Invalid("userId", $"user {body.UserId} does not exist or is not a responder"),
            { Outcome: SaveOutcome.Duplicate } => JsonBody.Conflict($"User {body.UserId} is already linked to another responder."),
            _ => JsonBody.NotFound($"Responder {id}"),
        };
    }

    private static ResponderView View(Responder r) =>
        new(r.Id, r.Name, r.Phone, r.ZoneId, r.ZoneName, r.OnDuty, r.Latitude, r.Longitude, r.UserId, r.Active);
}
