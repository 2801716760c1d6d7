using Telecare.Core.Timers;

namespace Telecare.Core.Calls;

/// <summary>
/// Port: tells the live consoles of call changes (the gateway implements it over SignalR), after they are committed.
/// Each method starts the push and returns at once: a console that is slow to read must never hold up the commit
/// behind it.
/// </summary>
public interface ICallNotifier
{
    void CallRaised(Call call);

    /// <summary><paramref name="entry"/> is what the change appended to the call's timeline.</summary>
    void CallUpdated(Call call, CallTimelineEntry entry);

    /// <summary>The call left the open list: resolved, closed or cancelled.</summary>
    void CallClosed(Call call);

    /// <summary>A technical ticket for supervisors (a <see cref="CallKind.Technical"/> call).</summary>
    void TicketRaised(Call ticket);

    /// <summary>An answer, accept or attendance target passed (after the breach is recorded on the call).</summary>
    void TargetBreached(Call call, DueTimer breach);
}
