using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telecare.Core.Calls;
using Telecare.Core.Reports;
using Telecare.Core.Triage;
using Telecare.Gateway.Admin;
using Telecare.Gateway.Api;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// The KPI report for a period (default: today, UTC day) in JSON or CSV, for one zone or all, and the same figures
/// per zone for the supervisors' view and the councils' spreadsheets. Answer shares are against the industry's 60 s
/// and 180 s; attendance against each zone's own target.
/// </summary>
public static class ReportEndpoints
{
    public sealed record ZoneReportView(DateTimeOffset From, DateTimeOffset To, KpiReport Total, IReadOnlyList<KpiReport> Zones);

    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(Policies.Reports);
        reports.MapGet("/kpi", (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? zone, string? format,
            SqliteConnectionFactory store, CompiledTriageRules rules, IOptions<CallOptions> options, TimeProvider time) =>
        {
            if (Period(from, to, time) is not { } period)
            {
                return JsonBody.Invalid("to", "must be after from");
            }

            var report = Load(store, period.From, period.To).Compute(zone, Options(rules, options, store));
            return WantsCsv(http, format) ? Results.Text(ToCsv(report), "text/csv", Encoding.UTF8) : Results.Ok(report);
        });
        reports.MapGet("/kpi/zones", (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? format,
            SqliteConnectionFactory store, CompiledTriageRules rules, IOptions<CallOptions> options, TimeProvider time) =>
        {
            if (Period(from, to, time) is not { } period)
            {
                return JsonBody.Invalid("to", "must be after from");
            }

            var records = Load(store, period.From, period.To);
            var kpi = Options(rules, options, store);
            var view = new ZoneReportView(period.From, period.To, records.Compute(null, kpi),
                [.. ZoneNames(store).Select(name => records.Compute(name, kpi))]);
            return WantsCsv(http, format) ? Results.Text(ToCsv(view), "text/csv", Encoding.UTF8) : Results.Ok(view);
        });
    }

    private sealed record Records(List<KpiCallRecord> Calls, List<KpiSignalRecord> Signals, DateTimeOffset From, DateTimeOffset To)
    {
        public KpiReport Compute(string? zone, KpiOptions options) => KpiCalculator.Compute(Calls, Signals, From, To, zone, options);
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Period(DateTimeOffset? from, DateTimeOffset? to, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var start = from ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var end = to ?? start.AddDays(1);
        return end <= start ? null : (start, end);
    }

    private static bool WantsCsv(HttpContext http, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || http.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);

    private static KpiOptions Options(CompiledTriageRules rules, IOptions<CallOptions> options, SqliteConnectionFactory store) =>
        new() { TimeZone = rules.TimeZone, Targets = CallTargets.Load(options.Value, store) };

    private static List<string> ZoneNames(SqliteConnectionFactory store)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection, "SELECT name FROM zones ORDER BY name");
        using var r = command.ExecuteReader();
        var names = new List<string>();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    private static Records Load(SqliteConnectionFactory store, DateTimeOffset from, DateTimeOffset to)
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

        return new Records(calls, signals, from, to);
    }

    /// <summary>One "name,value" row per figure, flattening nested figures with dotted names.</summary>
    internal static string ToCsv(KpiReport report)
    {
        var csv = new StringBuilder("figure,value\n");
        foreach (var (name, value) in Flatten(report))
        {
            csv.Append(name).Append(',').Append(Quote(value)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A table a spreadsheet opens as it is: a row per zone and one for all zones, a column per figure.</summary>
    internal static string ToCsv(ZoneReportView view)
    {
        var rows = view.Zones.Prepend(view.Total).Select(Flatten).ToList();
        var columns = rows.SelectMany(r => r.Select(f => f.Name)).Where(c => c is not "zone" and not "from" and not "to").Distinct().ToList();
        var csv = new StringBuilder("zone,from,to,").Append(string.Join(',', columns)).Append('\n');
        foreach (var row in rows)
        {
            var values = row.ToDictionary(f => f.Name, f => f.Value);
            csv.Append(Quote(values.GetValueOrDefault("zone") is { Length: > 0 } z ? z : "all zones")).Append(',')
                .Append(Quote(values.GetValueOrDefault("from") ?? "")).Append(',').Append(Quote(values.GetValueOrDefault("to") ?? ""));
            foreach (var column in columns)
            {
                csv.Append(',').Append(Quote(values.GetValueOrDefault(column) ?? ""));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<(string Name, string Value)> Flatten(KpiReport report)
    {
        var figures = new List<(string, string)>();
        void Walk(string prefix, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk($"{prefix}[{i++}]", item);
                    }

                    break;
                case JsonValueKind.Null:
                    figures.Add((prefix, ""));
                    break;
                default:
                    figures.Add((prefix, element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText()));
                    break;
            }
        }

        Walk("", JsonSerializer.SerializeToElement(report, JsonSerializerOptions.Web));
        return figures;
    }
}
