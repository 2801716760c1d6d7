using System.ComponentModel.DataAnnotations;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

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
        residents.MapGet("/", (string? q, SqliteConnectionFactory store, ResidentSecrets secrets) =>
            TypedResults.Ok(Read(store, secrets, null, q))).RequireAuthorization(Policies.Staff);
        residents.MapGet("/{id:long}", (long id, SqliteConnectionFactory store, ResidentSecrets secrets) =>
            Read(store, secrets, id, null).FirstOrDefault() is { } resident ? Results.Ok(resident) : JsonBody.NotFound($"Resident {id}"))
            .RequireAuthorization(Policies.Staff);
        residents.MapPost("/", (HttpContext http, StoreWriter writer, ResidentSecrets secrets, SqliteConnectionFactory store, TimeProvider time) =>
            SaveAsync(http, writer, secrets, store, time, null)).RequireAuthorization(Policies.ManageEquipment);
        residents.MapPut("/{id:long}", (long id, HttpContext http, StoreWriter writer, ResidentSecrets secrets, SqliteConnectionFactory store, TimeProvider time) =>
            SaveAsync(http, writer, secrets, store, time, id)).RequireAuthorization(Policies.ManageEquipment);
        residents.MapGet("/{id:long}/access-details", RevealAsync).RequireAuthorization(Policies.Dispatch);
    }

    /// <summary>Reveals a resident's key-safe and access notes; the reveal is audited in the same commit.</summary>
    public static async Task<IResult> RevealAsync(long id, HttpContext http, StoreWriter writer, ResidentSecrets secrets, TimeProvider time) =>
        await AccessDetails.RevealAsync(writer, secrets, time, http.User, id) is { Found: true } revealed
            ? TypedResults.Ok(new AccessDetailsView(id, revealed.Text))
            : JsonBody.NotFound($"Resident {id}");

    private static async Task<IResult> SaveAsync(HttpContext http, StoreWriter writer, ResidentSecrets secrets, SqliteConnectionFactory store, TimeProvider time, long? id)
    {
        var (body, error) = await JsonBody.ReadAsync<ResidentRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var medical = secrets.Protect(body!.MedicalNotes);
        var access = secrets.Protect(body.AccessDetails);
        var (failure, savedId) = await writer.ExecuteAsync<(IResult? Failure, long Id)>(context =>
        {
            if (body.ZoneId is { } zone && !Exists(context, "zones", zone))
            {
                return (JsonBody.Invalid("zoneId", $"zone {zone} does not exist"), 0);
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var command = id is null
                ? context.Command("""
                    INSERT INTO residents (zone_id, first_name, last_name, address, postcode, phone, date_of_birth, flags,
                                           medical_notes_protected, access_details_protected, created_at, updated_at)
                    VALUES ($zone, $first, $last, $address, $postcode, $phone, $dob, $flags, $medical, $access, $now, $now) RETURNING id
                    """)
                : context.Command("""
                    UPDATE residents SET zone_id = $zone, first_name = $first, last_name = $last, address = $address, postcode = $postcode,
                        phone = $phone, date_of_birth = $dob, flags = $flags, medical_notes_protected = $medical,
                        access_details_protected = COALESCE($access, access_details_protected), updated_at = $now
                    WHERE id = $id RETURNING id
                    """);
            var p = command.Parameters;
            p.AddWithValue("$zone", Db.Value(body.ZoneId));
            p.AddWithValue("$first", body.FirstName!.Trim());
            p.AddWithValue("$last", body.LastName!.Trim());
            p.AddWithValue("$address", body.Address!.Trim());
            p.AddWithValue("$postcode", Db.Value(body.Postcode));
            p.AddWithValue("$phone", Db.Value(body.Phone));
            p.AddWithValue("$dob", Db.Value(body.DateOfBirth));
            p.AddWithValue("$flags", string.Join(',', (body.Flags ?? []).Select(f => f.Trim().ToLowerInvariant()).Distinct()));
            p.AddWithValue("$medical", Db.Value(medical));
            p.AddWithValue("$access", Db.Value(access));
            p.AddWithValue("$now", now);
            p.AddWithValue("$id", Db.Value(id));
            if (command.ExecuteScalar() is not long residentId)
            {
                return (JsonBody.NotFound($"Resident {id}"), 0);
            }

            if (id is null || body.Contacts is not null)
            {
                using (var clear = context.Command("DELETE FROM contacts WHERE resident_id = $id"))
                {
                    clear.Parameters.AddWithValue("$id", residentId);
                    clear.ExecuteNonQuery();
                }

                foreach (var contact in body.Contacts ?? [])
                {
                    using var insert = context.Command("""
                        INSERT INTO contacts (resident_id, name, relationship, phone, is_keyholder, priority)
                        VALUES ($resident, $name, $relationship, $phone, $keyholder, $priority)
                        """);
                    insert.Parameters.AddWithValue("$resident", residentId);
                    insert.Parameters.AddWithValue("$name", contact.Name!);
                    insert.Parameters.AddWithValue("$relationship", Db.Value(contact.Relationship));
                    insert.Parameters.AddWithValue("$phone", contact.Phone!);
                    insert.Parameters.AddWithValue("$keyholder", contact.IsKeyholder ? 1 : 0);
                    insert.Parameters.AddWithValue("$priority", contact.Priority);
                    insert.ExecuteNonQuery();
                }
            }

            Audit.Write(context, time.GetUtcNow(), http.User, id is null ? "resident.create" : "resident.update", $"resident/{residentId}");
            return (null, residentId);
        });
        if (failure is not null)
        {
            return failure;
        }

        var view = Read(store, secrets, savedId, null).Single();
        return id is null ? TypedResults.Created($"/api/v1/residents/{savedId}", view) : TypedResults.Ok(view);
    }

    internal static bool Exists(WriteContext context, string table, long id)
    {
        using var command = context.Command($"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $id)");
        command.Parameters.AddWithValue("$id", id);
        return (long)command.ExecuteScalar()! == 1;
    }

    internal static List<ResidentView> Read(SqliteConnectionFactory store, ResidentSecrets secrets, long? id, string? search)
    {
        using var connection = store.OpenReader();
        var like = string.IsNullOrWhiteSpace(search) ? null : $"%{search.Trim()}%";
        using var command = Db.Query(connection, """
            SELECT r.id, r.zone_id, z.name, r.first_name, r.last_name, r.address, r.postcode, r.phone, r.date_of_birth, r.flags,
                   r.medical_notes_protected, r.access_details_protected IS NOT NULL
            FROM residents r LEFT JOIN zones z ON z.id = r.zone_id
            WHERE ($id IS NULL OR r.id = $id)
              AND ($like IS NULL OR r.first_name || ' ' || r.last_name LIKE $like OR r.address LIKE $like
                   OR IFNULL(r.phone, '') LIKE $like OR IFNULL(r.postcode, '') LIKE $like
                   OR EXISTS (SELECT 1 FROM contacts c WHERE c.resident_id = r.id AND c.phone LIKE $like))
            ORDER BY r.last_name, r.first_name
            LIMIT 200
            """, ("$id", id), ("$like", like));
        using var reader = command.ExecuteReader();
        var rows = new List<ResidentView>();
        while (reader.Read())
        {
            rows.Add(new ResidentView(reader.GetInt64(0), reader.Long(1), reader.Str(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.Str(6), reader.Str(7), reader.Str(8),
                reader.GetString(9).Split(',', StringSplitOptions.RemoveEmptyEntries), secrets.Unprotect(reader.Str(10)),
                reader.GetInt64(11) == 1, []));
        }

        reader.Close();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Contacts = Contacts(connection, rows[i].Id) };
        }

        return rows;
    }

    internal static List<ContactView> Contacts(Microsoft.Data.Sqlite.SqliteConnection connection, long residentId)
    {
        using var command = Db.Query(connection,
            "SELECT id, name, relationship, phone, is_keyholder, priority FROM contacts WHERE resident_id = $id ORDER BY priority, id", ("$id", residentId));
        using var reader = command.ExecuteReader();
        var contacts = new List<ContactView>();
        while (reader.Read())
        {
            contacts.Add(new ContactView(reader.GetInt64(0), reader.GetString(1), reader.Str(2), reader.GetString(3), reader.GetInt64(4) == 1, reader.GetInt32(5)));
        }

        return contacts;
    }
}
