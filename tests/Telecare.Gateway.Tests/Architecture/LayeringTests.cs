using System.Text.RegularExpressions;

namespace Telecare.Gateway.Tests.Architecture;

/// <summary>
/// The layout the architecture page promises, checked on the sources: SQL and SQLite types only in the store layer,
/// no namespace of the gateway importing one that imports it back, and no comment sending a reader to a file outside
/// the repository.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Root = FindRoot();

    private static string Gateway => Path.Combine(Root, "src", "Telecare.Gateway");

    [Fact]
    public void Only_the_store_layer_holds_SQL_or_SQLite_types()
    {
        var offenders = Sources(Gateway)
            .Where(f => !f.Relative.StartsWith("Store/", StringComparison.Ordinal))
            .Where(f => SqliteOrSql().IsMatch(f.Text))
            .Select(f => f.Relative)
            .ToList();

        Assert.True(offenders.Count == 0, "SQL or SQLite outside src/Telecare.Gateway/Store: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_gateway_namespace_imports_one_that_imports_it_back()
    {
        // Folder-level namespaces (Ingress.Mqtt and Ingress.Serial count as Ingress, Store.Registry as Store, ...).
        var imports = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Sources(Gateway))
        {
            var own = Layer(file.Relative);
            if (own is null)
            {
                continue;
            }

            if (!imports.TryGetValue(own, out var set))
            {
                imports[own] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (Match used in GatewayUsing().Matches(file.Text))
            {
                var layer = used.Groups[1].Value.Split('.')[0];
                if (layer != own)
                {
                    set.Add(layer);
                }
            }
        }

        var circles = imports.SelectMany(a => a.Value.Where(b => imports.GetValueOrDefault(b)?.Contains(a.Key) == true)
            .Select(b => string.CompareOrdinal(a.Key, b) < 0 ? $"{a.Key} <-> {b}" : $"{b} <-> {a.Key}")).Distinct().ToList();
        Assert.True(circles.Count == 0, "namespace circles: " + string.Join(", ", circles));
    }

    [Fact]
    public void No_comment_points_at_a_file_outside_the_repository()
    {
        var offenders = new[] { "src", "firmware-sim", "tests" }
            .SelectMany(folder => Sources(Path.Combine(Root, folder)))
            .Where(f => !f.Relative.EndsWith("LayeringTests.cs", StringComparison.Ordinal) && OutsideDocument().IsMatch(f.Text))
            .Select(f => f.Relative)
            .ToList();

        Assert.True(offenders.Count == 0, "comments citing DESIGN.md, DOMAIN.md or STYLE.md: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_checks_see_what_they_look_for()
    {
        // Guards the three tests above against passing because they read nothing.
        Assert.Contains(Sources(Gateway), f => f.Relative == "Store/StoreWriter.cs" && SqliteOrSql().IsMatch(f.Text));
        Assert.Contains(Sources(Gateway), f => f.Relative == "Calls/CallService.cs" && GatewayUsing().IsMatch(f.Text));
        Assert.Matches(OutsideDocument(), "// see DESIGN.md");
        Assert.Equal("Ingress", Layer("Ingress/Mqtt/MqttDeviceHandler.cs"));
    }

    private static string? Layer(string relative) => relative.Contains('/', StringComparison.Ordinal) ? relative.Split('/')[0] : null;

    private static IEnumerable<(string Relative, string Text)> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/node_modules/", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(folder, p).Replace('\\', '/'), File.ReadAllText(p)));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TelecareGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TelecareGateway.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bSqlite(Connection|Command|DataReader|Exception|Transaction|Parameter)\b|\bOpenReader\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+[a-z_]+", RegexOptions.CultureInvariant)]
    private static partial Regex SqliteOrSql();

    [GeneratedRegex(@"^using Telecare\.Gateway\.([A-Za-z.]+);", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex GatewayUsing();

    [GeneratedRegex(@"\b(DESIGN|DOMAIN|STYLE)\.md\b", RegexOptions.CultureInvariant)]
    private static partial Regex OutsideDocument();
}
