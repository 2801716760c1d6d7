namespace Telecare.Gateway.Hosting;

/// <summary>
/// Where the one configuration file lives, and what relative data, log and backup paths are relative to.
/// The gateway may start from the repository root (<c>dotnet run --project src/Telecare.Gateway</c>) or from its
/// build output; both find the root appsettings.json by walking up, so both use the same ./data.
/// </summary>
public sealed class TelecarePaths
{
    public const string ConfigurationFileName = "appsettings.json";

    public TelecarePaths(string root, string? configurationFile)
    {
        Root = root;
        ConfigurationFile = configurationFile;
    }

    /// <summary>The folder relative paths are resolved against.</summary>
    public string Root { get; }

    /// <summary>The root appsettings.json, or null when none was found (defaults and environment only).</summary>
    public string? ConfigurationFile { get; }

    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));

    /// <summary>Looks for appsettings.json from the current directory and from the program's folder upwards.</summary>
    public static TelecarePaths Discover(string fallbackRoot)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, ConfigurationFileName);
                // The repository root is marked by the solution beside the file; a copy in a build folder is not the one.
                if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "TelecareGateway.sln")))
                {
                    return new TelecarePaths(directory.FullName, candidate);
                }
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, ConfigurationFileName);
        return File.Exists(beside)
            ? new TelecarePaths(AppContext.BaseDirectory, beside)
            : new TelecarePaths(fallbackRoot, null);
    }
}
