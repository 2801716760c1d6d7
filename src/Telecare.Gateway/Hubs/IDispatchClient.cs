using Telecare.Gateway.Calls;
using Telecare.Gateway.Health;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// What /hubs/dispatch pushes to handler and supervisor consoles. The token is not sent: it lets a push give up on a
/// console that stopped reading (see <see cref="LivePush"/>).
/// </summary>
public interface IDispatchClient
{
    /// <summary>Sent once on connect (and on request): every open call and technical ticket.</summary>
    Task Snapshot(DispatchSnapshot snapshot);

    Task CallRaised(CallView call, CancellationToken cancellationToken = default);

    Task CallUpdated(CallView call, CancellationToken cancellationToken = default);

    Task CallClosed(CallClosedView closed, CancellationToken cancellationToken = default);

    Task TicketRaised(CallView ticket, CancellationToken cancellationToken = default);

    Task TargetBreached(TargetBreachView breach, CancellationToken cancellationToken = default);

    /// <summary>A fault in the gateway itself that a person must know about (store cannot commit, receiver down).</summary>
    Task SystemAlert(SystemAlertView alert, CancellationToken cancellationToken = default);
}
