using Microsoft.Extensions.FileProviders;

namespace Telecare.Gateway.Pages;

/// <summary>
/// Finds the folder the pages are served from. The build copies wwwroot and the SignalR browser bundle
/// beside the gateway's output (bin/.../wwwroot), so a gateway started from its dll serves the same files
/// as `dotnet run`; `Pages:Root` overrides it (for example while editing the pages).
/// </summary>
internal sealed class PageRoot
{
    private PageRoot(IFileProvider files, IReadOnlyList<string> folders)
    {
        Files = files;
        Folders = folders;
    }

    public IFileProvider Files { get; }

    public IReadOnlyList<string> Folders { get; }

    public string Describe() => string.Join(" + ", Folders);

    public static PageRoot Resolve(IConfiguration configuration, IWebHostEnvironment environment)
    {
        var configured = configuration["Pages:Root"];
        var candidates = new List<string?>
        {
            configured,
            Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            environment.WebRootPath,
            Path.Combine(environment.ContentRootPath, "wwwroot"),
        };

        var pages = candidates
            .Where(c => !string.IsNullOrEmpty(c))
            .Select(c => Path.GetFullPath(c!))
            .FirstOrDefault(c => File.Exists(Path.Combine(c, "index.html")));
        if (pages is null)
        {
            // The alarm path never depends on the pages: start without them and say so on every page request.
            return new PageRoot(new NullFileProvider(), ["(no pages found in " +
                string.Join(", ", candidates.Where(c => !string.IsNullOrEmpty(c))) + "; set Pages:Root or rebuild)"]);
        }

        var providers = new List<IFileProvider> { new PhysicalFileProvider(pages) };
        var folders = new List<string> { pages };

        // Serving straight from the project's wwwroot (tests, Pages:Root): the bundle is then still in node_modules.
        if (!File.Exists(Path.Combine(pages, "lib", "signalr", "signalr.min.js")))
        {
            var dist = FindSignalRDist(pages) ?? FindSignalRDist(environment.ContentRootPath) ?? FindSignalRDist(AppContext.BaseDirectory);
            if (dist is not null)
            {
                providers.Add(new PrefixFileProvider("lib/signalr", new PhysicalFileProvider(dist)));
                folders.Add(dist);
            }
        }

        return new PageRoot(providers.Count == 1 ? providers[0] : new CompositeFileProvider(providers), folders);
    }

    private static string? FindSignalRDist(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
            {
                Path.Combine(dir.FullName, "node_modules", "@microsoft", "signalr", "dist", "browser"),
                Path.Combine(dir.FullName, "src", "Telecare.Gateway", "node_modules", "@microsoft", "signalr", "dist", "browser"),
            })
            {
                if (File.Exists(Path.Combine(candidate, "signalr.min.js")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
