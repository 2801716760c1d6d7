using Telecare.Core.Timers;

namespace Telecare.Core.Calls;

/// <summary>Port: pushes call changes to the live consoles (the gateway implements it over SignalR), after they are saved.</summary>
public interface ICallNotifier
{
    ValueTask CallRaisedAsync(Call call, CancellationToken cancellationToken = default);

    ValueTask CallUpdatedAsync(Call call, CallTimelineEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The call left the open list: resolved, closed or cancelled.</summary>
    ValueTask CallClosedAsync(Call call, CancellationToken cancellationToken = default);

    /// <summary>A technical ticket for supervisors (a <see cref="CallKind.Technical"/> call).</summary>
    ValueTask TicketRaisedAsync(Call ticket, CancellationToken cancellationToken = default);

    /// <summary>An answer, accept or attendance target passed (after the breach is recorded on the call).</summary>
    ValueTask TargetBreachedAsync(Call call, DueTimer breach, CancellationToken cancellationToken = default);
}
