using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// Section "Consoles": how much a live connection (dispatch console, responder phone) may hold back before it is
/// dropped. A console that stops reading (a frozen tab, a dead network) must never slow the others or triage.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Consoles";

    /// <summary>
    /// A message not taken by a console within this time closes that console's connection; its page reconnects
    /// and resyncs from the snapshot. Also SignalR's transport send timeout.
    /// </summary>
    [Range(100, 60_000)]
    public int SendTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Bytes buffered per connection in each direction before back-pressure (SignalR's transport and application buffers).</summary>
    [Range(4 * 1024, 4 * 1024 * 1024)]
    public int MaxBufferBytes { get; set; } = 64 * 1024;

    public TimeSpan SendTimeout => TimeSpan.FromMilliseconds(SendTimeoutMilliseconds);
}
