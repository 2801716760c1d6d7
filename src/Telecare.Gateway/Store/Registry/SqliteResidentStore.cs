using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telecare.Core.Audit;
using Telecare.Core.Registry;
using Telecare.Core.Timers;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Registry;

internal sealed class SqliteResidentStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IResidentStore
{
    public ValueTask<IReadOnlyList<Resident>> SearchAsync(string? search, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Resident>>(Read(null, search));

    public ValueTask<Resident?> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(id, null).FirstOrDefault());

    public async ValueTask<SaveResult<Resident>> SaveAsync(long? id, ResidentDraft resident, string actor, CancellationToken cancellationToken = default)
    {
        var (outcome, savedId) = await writer.ExecuteAsync(context => Save(context, id, resident, actor), cancellationToken);
        return outcome == SaveOutcome.Saved ? SaveResult<Resident>.Saved(Read(savedId, null).Single()) : SaveResult<Resident>.Failed(outcome);
    }

    public async ValueTask<RevealedAccessDetails> RevealAccessDetailsAsync(long residentId, string actor, string? via = null, CancellationToken cancellationToken = default) =>
        await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("SELECT access_details_protected FROM residents WHERE id = $id", ("$id", residentId));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return new RevealedAccessDetails(false, null);
            }

            var value = reader.GetStringOrNull(0);
            reader.Close();
            AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.ResidentAccessDetailsReveal, $"resident/{residentId}", via);
            return new RevealedAccessDetails(true, value);
        }, cancellationToken);

    public ValueTask<ExpectedActivityRules?> GetExpectedActivityAsync(long residentId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("SELECT expected_activity, expected_activity_set_at FROM residents WHERE id = $id", ("$id", residentId));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new ExpectedActivityRules(residentId, ExpectedActivityRecords.Parse(reader.GetStringOrNull(0)), reader.GetTimeOrNull(1))
            : null);
    }

    public async ValueTask<ExpectedActivityRules?> SetExpectedActivityAsync(
        long residentId, IReadOnlyList<ExpectedActivityDefinition> rules, string actor, CancellationToken cancellationToken = default)
    {
        // Stored in the format the timer loop reads back (ExpectedActivityRecords.Parse).
        var json = JsonSerializer.Serialize(rules, ExpectedActivityRecords.Json);
        var now = time.GetUtcNow();
        var found = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command(
                "UPDATE residents SET expected_activity = $rules, expected_activity_set_at = $now, updated_at = $now WHERE id = $id",
                ("$rules", json), ("$now", now.ToUnixTimeMilliseconds()), ("$id", residentId));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            AuditTrail.Append(context, now, actor, AuditActions.ResidentExpectedActivitySet, $"resident/{residentId}", $"{rules.Count} rule(s)");
            return true;
        }, cancellationToken);
        return found ? await GetExpectedActivityAsync(residentId, cancellationToken) : null;
    }

    /// <summary>Inserts a resident with its contacts inside the caller's unit (also the registry import's); returns its id.</summary>
    internal static long Insert(WriteContext context, ResidentDraft resident, long? zoneId, long now)
    {
        using var command = context.Command("""
            INSERT INTO residents (zone_id, first_name, last_name, address, postcode, phone, date_of_birth, flags,
                                   medical_notes_protected, access_details_protected, created_at, updated_at)
            VALUES ($zone, $first, $last, $address, $postcode, $phone, $dob, $flags, $medical, $access, $now, $now) RETURNING id
            """, Parameters(resident, zoneId, now, null));
        var id = (long)command.ExecuteScalar()!;
        ReplaceContacts(context, id, resident.Contacts ?? []);
        return id;
    }

    private (SaveOutcome Outcome, long Id) Save(WriteContext context, long? id, ResidentDraft resident, string actor)
    {
        if (resident.ZoneId is { } zone && !SqliteRegistryChecks.ZoneExists(context, zone))
        {
            return (SaveOutcome.ZoneMissing, 0);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long residentId;
        if (id is null)
        {
            residentId = Insert(context, resident, resident.ZoneId, now);
        }
        else
        {
            using var command = context.Command("""
                UPDATE residents SET zone_id = $zone, first_name = $first, last_name = $last, address = $address, postcode = $postcode,
                    phone = $phone, date_of_birth = $dob, flags = $flags, medical_notes_protected = $medical,
                    access_details_protected = COALESCE($access, access_details_protected), updated_at = $now
                WHERE id = $id RETURNING id
                """, Parameters(resident, resident.ZoneId, now, id));
            if (command.ExecuteScalar() is not long updated)
            {
                return (SaveOutcome.NotFound, 0);
            }

            residentId = updated;
            if (resident.Contacts is not null)
            {
                ReplaceContacts(context, residentId, resident.Contacts);
            }
        }

        AuditTrail.Append(context, time.GetUtcNow(), actor, id is null ? AuditActions.ResidentCreate : AuditActions.ResidentUpdate, $"resident/{residentId}");
        return (SaveOutcome.Saved, residentId);
    }

    private static (string, object?)[] Parameters(ResidentDraft resident, long? zoneId, long now, long? id) =>
    [
        ("$zone", zoneId), ("$first", resident.FirstName), ("$last", resident.LastName), ("$address", resident.Address),
        ("$postcode", resident.Postcode), ("$phone", resident.Phone), ("$dob", resident.DateOfBirth), ("$flags", string.Join(',', resident.Flags)),
        ("$medical", resident.ProtectedMedicalNotes), ("$access", resident.ProtectedAccessDetails), ("$now", now), ("$id", id),
    ];

    private static void ReplaceContacts(WriteContext context, long residentId, IReadOnlyList<ContactDraft> contacts)
    {
        using (var clear = context.Command("DELETE FROM contacts WHERE resident_id = $id", ("$id", residentId)))
        {
            clear.ExecuteNonQuery();
        }

        foreach (var contact in contacts)
        {
            using var insert = context.Command("""
                INSERT INTO contacts (resident_id, name, relationship, phone, is_keyholder, priority)
                VALUES ($resident, $name, $relationship, $phone, $keyholder, $priority)
                """, ("$resident", residentId), ("$name", contact.Name), ("$relationship", contact.Relationship), ("$phone", contact.Phone),
                ("$keyholder", contact.IsKeyholder ? 1 : 0), ("$priority", contact.Priority));
            insert.ExecuteNonQuery();
        }
    }

    private List<Resident> Read(long? id, string? search)
    {
        using var connection = store.OpenReader();
        var like = string.IsNullOrWhiteSpace(search) ? null : $"%{search.Trim()}%";
        using var command = connection.Command("""
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
        var rows = new List<Resident>();
        while (reader.Read())
        {
            rows.Add(new Resident(reader.GetInt64(0), reader.GetInt64OrNull(1), reader.GetStringOrNull(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetStringOrNull(6), reader.GetStringOrNull(7), reader.GetStringOrNull(8),
                reader.GetString(9).Split(',', StringSplitOptions.RemoveEmptyEntries), reader.GetStringOrNull(10), reader.GetFlag(11), []));
        }

        reader.Close();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Contacts = ReadContacts(connection, rows[i].Id) };
        }

        return rows;
    }

    /// <summary>A resident's contacts by priority, on the connection the resident was read on.</summary>
    private static List<Contact> ReadContacts(SqliteConnection connection, long residentId)
    {
        using var command = connection.Command(
            "SELECT id, name, relationship, phone, is_keyholder, priority FROM contacts WHERE resident_id = $id ORDER BY priority, id", ("$id", residentId));
        using var reader = command.ExecuteReader();
        var contacts = new List<Contact>();
        while (reader.Read())
        {
            contacts.Add(new Contact(reader.GetInt64(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetString(3), reader.GetFlag(4), reader.GetInt32(5)));
        }

        return contacts;
    }
}
