using Telecare.Gateway.Calls;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Telecare.Core.Registry;
using Telecare.Core.Reports;
using Telecare.Core.Triage;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        reports.MapGet("/kpi", async (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? zone, string? format,
            IReportStore store, IZoneStore zones, CompiledTriageRules rules, IOptions<CallOptions> options, TimeProvider time) =>
        {
            if (Period(from, to, time) is not { } period)
            {
                return JsonBody.Invalid("to", "must be after from");
            }

            var report = (await LoadAsync(store, period.From, period.To)).Compute(zone, await OptionsAsync(rules, options, zones));
            return WantsCsv(http, format) ? Results.Text(ToCsv(report), "text/csv", Encoding.UTF8) : Results.Ok(report);
        });
        reports.MapGet("/kpi/zones", async (HttpContext http, DateTimeOffset? from, DateTimeOffset? to, string? format,
            IReportStore store, IZoneStore zones, CompiledTriageRules rules, IOptions<CallOptions> options, TimeProvider time) =>
        {
            if (Period(from, to, time) is not { } period)
            {
                return JsonBody.Invalid("to", "must be after from");
            }

            var records = await LoadAsync(store, period.From, period.To);
            var kpi = await OptionsAsync(rules, options, zones);
            var view = new ZoneReportView(period.From, period.To, records.Compute(null, kpi),
                [.. (await zones.ListAsync()).Select(z => records.Compute(z.Name, kpi))]);
            return WantsCsv(http, format) ? Results.Text(ToCsv(view), "text/csv", Encoding.UTF8) : Results.Ok(view);
        });
    }

    private sealed record Records(IReadOnlyList<KpiCallRecord> Calls, IReadOnlyList<KpiSignalRecord> Signals, DateTimeOffset From, DateTimeOffset To)
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

    private static async ValueTask<KpiOptions> OptionsAsync(CompiledTriageRules rules, IOptions<CallOptions> options, IZoneStore zones) =>
        new() { TimeZone = rules.TimeZone, Targets = await CallTargets.LoadAsync(options.Value, zones) };

    private static async ValueTask<Records> LoadAsync(IReportStore store, DateTimeOffset from, DateTimeOffset to) =>
        new(await store.CallsRaisedAsync(from, to), await store.SignalsReceivedAsync(from, to), from, to);

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
