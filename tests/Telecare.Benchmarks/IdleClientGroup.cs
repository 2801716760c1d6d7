namespace Telecare.Benchmarks;

/// <summary>The helper processes holding a set of device connections, and how many of them got in.</summary>
internal sealed class IdleClientGroup : IAsyncDisposable
{
    public List<HelperProcess> Helpers { get; } = [];

    public int Connected { get; set; }

    public int Failed { get; set; }

    public string? FirstError { get; set; }

    /// <summary>Closes every helper's input: each says DISCONNECT on its connections and exits.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var helper in Helpers)
        {
            await helper.DisposeAsync();
        }
    }
}
