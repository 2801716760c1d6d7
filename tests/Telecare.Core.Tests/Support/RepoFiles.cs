using Microsoft.Extensions.Configuration;
using Telecare.Core.Triage;

namespace Telecare.Core.Tests.Support;

internal static class RepoFiles
{
    /// <summary>Walks up from the test binaries to the directory holding TelecareGateway.sln.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TelecareGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TelecareGateway.sln not found above " + AppContext.BaseDirectory);
    }

    public static IConfiguration RootConfiguration() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoRoot(), "appsettings.json"), optional: false).Build();

    public static TriageOptions DefaultTriageOptions() =>
        RootConfiguration().GetSection(TriageOptions.SectionName).Get<TriageOptions>()
        ?? throw new InvalidOperationException("appsettings.json has no Triage section");
}
