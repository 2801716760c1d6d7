using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Telecare.Gateway.Pages;

/// <summary>Shows another provider's files under a sub-path (node_modules' SignalR bundle as /lib/signalr).</summary>
internal sealed class PrefixFileProvider(string prefix, IFileProvider inner) : IFileProvider
{
    private readonly string _prefix = "/" + prefix.Trim('/') + "/";

    public IFileInfo GetFileInfo(string subpath)
    {
        var rest = Strip(subpath);
        return rest is null ? new NotFoundFileInfo(subpath) : inner.GetFileInfo(rest);
    }

    public IDirectoryContents GetDirectoryContents(string subpath)
    {
        var rest = Strip(subpath);
        return rest is null ? NotFoundDirectoryContents.Singleton : inner.GetDirectoryContents(rest);
    }

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private string? Strip(string subpath)
    {
        var path = "/" + subpath.TrimStart('/');
        return path.StartsWith(_prefix, StringComparison.Ordinal) ? path[_prefix.Length..] : null;
    }
}
