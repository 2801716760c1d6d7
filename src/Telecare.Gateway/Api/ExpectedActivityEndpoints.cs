using Telecare.Core.Registry;
using Telecare.Core.Timers;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        rules.MapGet("/", async (long id, IResidentStore store) =>
            await store.GetExpectedActivityAsync(id) is { } found ? Results.Ok(View(found)) : JsonBody.NotFound($"Resident {id}")).RequireAuthorization(Policies.Staff);
        rules.MapPut("/", SaveAsync).RequireAuthorization(Policies.ManageEquipment);
    }

    private static async Task<IResult> SaveAsync(long id, HttpContext http, IResidentStore store)
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

        return await store.SetExpectedActivityAsync(id, definitions, AuditActor.Of(http.User)) is { } saved
            ? TypedResults.Ok(View(saved))
            : JsonBody.NotFound($"Resident {id}");
    }

    private static ExpectedActivityView View(ExpectedActivityRules rules) => new(rules.ResidentId, rules.Rules, rules.SetAt);
}
