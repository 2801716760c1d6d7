using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Telecare.Core.Calls;
using Telecare.Core.Reports;
using Telecare.Core.Triage;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>Reads that are not live: calls, a call's timeline, and the KPI report (JSON or CSV).</summary>
public static class CallEndpoints
{
    public sealed record TimelineEntryView(int Sequence, DateTimeOffset At, string Actor, string Action, string From, string To, string? Detail);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/calls", (bool? open, CallService calls, SqliteConnectionFactory store) =>
        {
            if (open != false)
            {
                return TypedResults.Ok(calls.Unfinished().Select(calls.ToView).ToList());
            }

            using var connection = store.OpenReader();
            using var command = Db.Query(connection, "SELECT id FROM calls ORDER BY id DESC LIMIT 500");
            using var r = command.ExecuteReader();
            var ids = new List<long>();
            while (r.Read())
            {
                ids.Add(r.GetInt64(0));
            }

            return TypedResults.Ok(ids.Select(id => CallRecords.LoadOne(connection, id)).OfType<Call>().Select(calls.ToView).ToList());
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}", (long id, CallService calls, SqliteConnectionFactory store, ResidentSecrets secrets, TimeProvider time) =>
        {
            using var connection = store.OpenReader();
            return CallRecords.LoadOne(connection, id) is { } call
                ? Results.Ok(CallPanel.Build(connection, call, calls.ToView(call), secrets, time))
                : JsonBody.NotFound($"Call {id}");
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/calls/{id:long}/timeline", (long id, SqliteConnectionFactory store) =>
        {
            using var connection = store.OpenReader();
            if (CallRecords.LoadOne(connection, id) is null)
            {
                return JsonBody.NotFound($"Call {id}");
            }

            return Results.Ok(CallRecords.Timeline(connection, id)
                .Select(e => new TimelineEntryView(e.Sequence, e.At, e.Actor.ToString(), e.Action.ToString(), e.From.ToString(), e.To.ToString(), e.Detail)));
        }).RequireAuthorization(Policies.Dispatch).WithTags("Calls");

        api.MapGet("/reports/kpi", (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? zone, string? format,
            SqliteConnectionFactory store, CompiledTriageRules rules, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            var start = from ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
            var end = to ?? start.AddDays(1);
            if (end <= start)
            {
                return JsonBody.Invalid("to", "must be after from");
            }

            var report = Compute(store, rules.TimeZone, start, end, zone);
            var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                || http.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
            return csv ? Results.Text(ToCsv(report), "text/csv", Encoding.UTF8) : Results.Ok(report);
        }).RequireAuthorization(Policies.Reports).WithTags("Reports");
    }

    internal static KpiReport Compute(SqliteConnectionFactory store, TimeZoneInfo zoneInfo, DateTimeOffset from, DateTimeOffset to, string? zone)
    {
        using var connection = store.OpenReader();
        var calls = new List<KpiCallRecord>();
        using (var command = Db.Query(connection, "SELECT id FROM calls WHERE raised_at >= $from AND raised_at < $to ORDER BY id",
                   ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds())))
        using (var r = command.ExecuteReader())
        {
            var ids = new List<long>();
            while (r.Read())
            {
                ids.Add(r.GetInt64(0));
            }

            r.Close();
            calls.AddRange(ids.Select(id => CallRecords.LoadOne(connection, id)).OfType<Call>().Select(KpiCallRecord.From));
        }

        var signals = new List<KpiSignalRecord>();
        using (var command = Db.Query(connection, """
                   SELECT s.event_type, s.restore, s.received_at, z.name, s.device_ref
                   FROM signals s LEFT JOIN devices d ON d.device_id = s.device_ref LEFT JOIN residents r ON r.id = d.resident_id
                   LEFT JOIN zones z ON z.id = r.zone_id
                   WHERE s.received_at >= $from AND s.received_at < $to AND s.rejection_reason IS NULL
                   """, ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds())))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                signals.Add(new KpiSignalRecord(r.GetString(0), r.GetInt64(1) == 1, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.Str(3), r.Str(4)));
            }
        }

        return KpiCalculator.Compute(calls, signals, from, to, zone, new KpiOptions { TimeZone = zoneInfo });
    }

    /// <summary>One "name,value" row per figure, flattening nested figures with dotted names.</summary>
    internal static string ToCsv(KpiReport report)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToElement(report, System.Text.Json.JsonSerializerOptions.Web);
        var csv = new StringBuilder("figure,value\n");
        void Walk(string prefix, System.Text.Json.JsonElement element)
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", property.Value);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk($"{prefix}[{i++}]", item);
                    }

                    break;
                default:
                    var text = element.ToString().Replace("\"", "\"\"", StringComparison.Ordinal);
                    csv.Append(prefix).Append(",\"").Append(text).Append("\"\n");
                    break;
            }
        }

        Walk("", json);
        return csv.ToString();
    }
}
