using System.ComponentModel.DataAnnotations;
using Telecare.Core.Registry;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

/// <summary>
/// Residents with contacts and keyholders, risk flags, medical notes and access details. Medical notes and access
/// details are protected at rest; access details are never in a normal read, only revealed on request, and every
/// reveal is audited.
/// </summary>
public static class ResidentEndpoints
{
    public sealed class ContactRequest
    {
        [Required]
        [StringLength(200, MinimumLength = 1)]
        public string? Name { get; set; }

        [StringLength(100)]
        public string? Relationship { get; set; }

        [Required]
        [StringLength(40, MinimumLength = 3)]
        public string? Phone { get; set; }

        public bool IsKeyholder { get; set; }

        [Range(1, 99)]
        public int Priority { get; set; } = 1;
    }

    public sealed class ResidentRequest : IValidatableObject
    {
        [Required]
        [StringLength(100, MinimumLength = 1)]
        public string? FirstName { get; set; }

        [Required]
        [StringLength(100, MinimumLength = 1)]
        public string? LastName { get; set; }

        [Required]
        [StringLength(400, MinimumLength = 1)]
        public string? Address { get; set; }

        [StringLength(12)]
        public string? Postcode { get; set; }

        [StringLength(40)]
        public string? Phone { get; set; }

        [RegularExpression(@"^\d{4}-\d{2}-\d{2}$", ErrorMessage = "must be a date yyyy-mm-dd")]
        public string? DateOfBirth { get; set; }

        public long? ZoneId { get; set; }

        public List<string>? Flags { get; set; }

        [StringLength(4000)]
        public string? MedicalNotes { get; set; }

        [StringLength(1000)]
        public string? AccessDetails { get; set; }

        public List<ContactRequest>? Contacts { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            foreach (var flag in Flags ?? [])
            {
                if (string.IsNullOrWhiteSpace(flag) || flag.Length > 40 || flag.Contains(','))
                {
                    yield return new ValidationResult($"flag '{flag}' must be 1-40 characters without commas", [nameof(Flags)]);
                }
            }

            var contacts = Contacts ?? [];
            for (var i = 0; i < contacts.Count; i++)
            {
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(contacts[i], new ValidationContext(contacts[i]), results, validateAllProperties: true);
                var prefix = $"contacts[{i}].";
                foreach (var result in results)
                {
                    yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => prefix + char.ToLowerInvariant(m[0]) + m[1..]).ToArray());
                }
            }
        }
    }

    public sealed record ContactView(long Id, string Name, string? Relationship, string Phone, bool IsKeyholder, int Priority);

    public sealed record ResidentView(
        long Id, long? ZoneId, string? ZoneName, string FirstName, string LastName, string Address, string? Postcode, string? Phone,
        string? DateOfBirth, IReadOnlyList<string> Flags, string? MedicalNotes, bool HasAccessDetails, IReadOnlyList<ContactView> Contacts);

    public sealed record AccessDetailsView(long ResidentId, string? AccessDetails);

    public static void Map(RouteGroupBuilder api)
    {
        var residents = api.MapGroup("/residents").WithTags("Residents");
        residents.MapGet("/", async (string? q, IResidentStore store, ResidentSecrets secrets) =>
            TypedResults.Ok((await store.SearchAsync(q)).Select(r => View(r, secrets)).ToList())).RequireAuthorization(Policies.Staff);
        residents.MapGet("/{id:long}", async (long id, IResidentStore store, ResidentSecrets secrets) =>
            await store.GetAsync(id) is { } resident ? Results.Ok(View(resident, secrets)) : JsonBody.NotFound($"Resident {id}"))
            .RequireAuthorization(Policies.Staff);
        residents.MapPost("/", (HttpContext http, IResidentStore store, ResidentSecrets secrets) => SaveAsync(http, store, secrets, null))
            .RequireAuthorization(Policies.ManageEquipment);
        residents.MapPut("/{id:long}", (long id, HttpContext http, IResidentStore store, ResidentSecrets secrets) => SaveAsync(http, store, secrets, id))
            .RequireAuthorization(Policies.ManageEquipment);
        residents.MapGet("/{id:long}/access-details", RevealAsync).RequireAuthorization(Policies.Dispatch);
    }

    /// <summary>Reveals a resident's key-safe and access notes; the reveal is audited in the same commit.</summary>
    public static async Task<IResult> RevealAsync(long id, HttpContext http, IResidentStore store, ResidentSecrets secrets) =>
        await AccessDetails.RevealAsync(store, secrets, http.User, id) is { Found: true } revealed
            ? TypedResults.Ok(new AccessDetailsView(id, revealed.Text))
            : JsonBody.NotFound($"Resident {id}");

    private static async Task<IResult> SaveAsync(HttpContext http, IResidentStore store, ResidentSecrets secrets, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ResidentRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var draft = new ResidentDraft(
            body!.ZoneId, body.FirstName!.Trim(), body.LastName!.Trim(), body.Address!.Trim(), body.Postcode, body.Phone, body.DateOfBirth,
            [.. (body.Flags ?? []).Select(f => f.Trim().ToLowerInvariant()).Distinct()],
            secrets.Protect(body.MedicalNotes), secrets.Protect(body.AccessDetails),
            body.Contacts?.Select(c => new ContactDraft(c.Name!, c.Relationship, c.Phone!, c.IsKeyholder, c.Priority)).ToList());
        var saved = await store.SaveAsync(id, draft, AuditActor.Of(http.User));
        return saved switch
        {
            { Outcome: SaveOutcome.Saved, Value: { } resident } when id is null => TypedResults.Created($"/api/v1/residents/{resident.Id}", View(resident, secrets)),
            { Outcome: SaveOutcome.Saved, Value: { } resident } => TypedResults.Ok(View(resident, secrets)),
            { Outcome: SaveOutcome.ZoneMissing } => JsonBody.Invalid("zoneId", $"zone {body.ZoneId} does not exist"),
            _ => JsonBody.NotFound($"Resident {id}"),
        };
    }

    private static ContactView View(Contact c) => new(c.Id, c.Name, c.Relationship, c.Phone, c.IsKeyholder, c.Priority);

    private static ResidentView View(Resident r, ResidentSecrets secrets) =>
        new(r.Id, r.ZoneId, r.ZoneName, r.FirstName, r.LastName, r.Address, r.Postcode, r.Phone, r.DateOfBirth, r.Flags,
            secrets.Unprotect(r.ProtectedMedicalNotes), r.HasAccessDetails, [.. r.Contacts.Select(View)]);
}
