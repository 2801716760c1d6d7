using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Telecare.Gateway.Pages;

namespace Telecare.Browser.Tests;

/// <summary>Where the gateway finds its pages and the npm SignalR bundle.</summary>
public sealed class PageRootTests : IDisposable
{
    private readonly string _empty = Directory.CreateTempSubdirectory("telecare-pages-").FullName;

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    private static PageRoot Resolve(string contentRoot, string? pagesRoot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(pagesRoot is null ? [] : [new KeyValuePair<string, string?>("Pages:Root", pagesRoot)])
            .Build();
        return PageRoot.Resolve(configuration, builder.Environment);
    }

    [Fact]
    public void Pages_root_from_configuration_serves_the_source_pages_with_the_bundle_from_node_modules()
    {
        var source = Path.Combine(GatewayProcess.RepositoryRoot(), "src", "Telecare.Gateway", "wwwroot");
        var root = Resolve(_empty, source);

        Assert.Equal(source, root.Folders[0]);
        Assert.True(root.Files.GetFileInfo("/index.html").Exists);
        Assert.True(root.Files.GetFileInfo("/js/console.js").Exists);
        var bundle = root.Files.GetFileInfo("/lib/signalr/signalr.min.js");
        Assert.True(bundle.Exists, "the bundle should come from node_modules: " + root.Describe());
        Assert.Contains(Path.Combine("node_modules", "@microsoft", "signalr"), bundle.PhysicalPath, StringComparison.Ordinal);
        Assert.False(root.Files.GetFileInfo("/lib/signalr/../../../package.json").Exists);
    }

    [Fact]
    public void The_content_roots_pages_are_used_when_nothing_is_configured_and_the_output_has_none()
    {
        // The test host's base directory has no wwwroot, so the content root's wwwroot is next in line.
        var source = Path.Combine(GatewayProcess.RepositoryRoot(), "src", "Telecare.Gateway");
        var root = Resolve(source, null);
        Assert.True(root.Files.GetFileInfo("/login.html").Exists);
    }

    [Fact]
    public void Without_pages_the_gateway_still_starts_and_says_where_it_looked()
    {
        var root = Resolve(_empty, Path.Combine(_empty, "nowhere"));
        Assert.False(root.Files.GetFileInfo("/index.html").Exists);
        Assert.Contains("no pages found", root.Describe(), StringComparison.Ordinal);
        Assert.Contains("nowhere", root.Describe(), StringComparison.Ordinal);
    }
}
