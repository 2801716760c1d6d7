using System.Text.Json;
using Telecare.Core.Timers;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

/// <summary>
/// A resident's expected-activity rules (activity monitoring, e.g. for a person with dementia): "no movement by 10:00",
/// "out of bed for more than 30 minutes between 22:00 and 07:00". A rule that is not kept raises a wellbeing call.
/// The whole list is replaced at once; an empty list stops the monitoring.
/// </summary>
public static class ExpectedActivityEndpoints
{
    public const int MaxRules = 10;

    public sealed class ExpectedActivityRequest
    {
        public List<ExpectedActivityDefinition>? Rules { get; set; }
    }

    public sealed record ExpectedActivityView(long ResidentId, IReadOnlyList<ExpectedActivityDefinition> Rules, DateTimeOffset? SetAt);

    public static void Map(RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/residents/{id:long}/expected-activity").WithTags("Residents");
        rules.MapGet("/", (long id, SqliteConnectionFactory store) =>
            Read(store, id) is { } view ? Results.Ok(view) : JsonBody.NotFound($"Resident {id}")).RequireAuthorization(Policies.Staff);
        rules.MapPut("/", SaveAsync).RequireAuthorization(Policies.ManageEquipment);
    }

    private static async Task<IResult> SaveAsync(long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time)
    {
        var (body, error) = await JsonBody.ReadAsync<ExpectedActivityRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var definitions = body!.Rules ?? [];
        if (definitions.Count > MaxRules)
        {
            return JsonBody.Invalid("rules", $"at most {MaxRules} rules per resident");
        }

        for (var i = 0; i < definitions.Count; i++)
        {
            try
            {
                definitions[i].ToExpectedActivity();
            }
            catch (ArgumentException ex)
            {
                return JsonBody.Invalid($"rules[{i}]", ex.Message);
            }
        }

        var duplicate = definitions.GroupBy(d => d.Name!.Trim(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return JsonBody.Invalid("rules", $"the name '{duplicate.Key}' is used twice; each rule needs its own name");
        }

        var json = JsonSerializer.Serialize(definitions, ExpectedActivityRecords.Json);
        var now = time.GetUtcNow();
        var found = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("UPDATE residents SET expected_activity = $rules, expected_activity_set_at = $now, updated_at = $now WHERE id = $id");
            command.Parameters.AddWithValue("$rules", json);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", id);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            Audit.Write(context, now, http.User, "resident.expected-activity.set", $"resident/{id}", $"{definitions.Count} rule(s)");
            return true;
        });
        return found ? TypedResults.Ok(Read(store, id)) : JsonBody.NotFound($"Resident {id}");
    }

    private static ExpectedActivityView? Read(SqliteConnectionFactory store, long id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, "SELECT expected_activity, expected_activity_set_at FROM residents WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ExpectedActivityView(id, ExpectedActivityRecords.Parse(reader.Str(0)), reader.Time(1)) : null;
    }
}
