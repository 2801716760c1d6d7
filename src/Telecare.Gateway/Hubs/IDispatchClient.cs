namespace Telecare.Gateway.Hubs;

/// <summary>What /hubs/dispatch pushes to handler and supervisor consoles.</summary>
public interface IDispatchClient
{
    /// <summary>Sent once on connect (and on request): every open call and technical ticket.</summary>
    Task Snapshot(DispatchSnapshot snapshot);

    Task CallRaised(CallView call);

    Task CallUpdated(CallView call);

    Task CallClosed(CallClosedView closed);

    Task TicketRaised(CallView ticket);

    Task TargetBreached(TargetBreachView breach);

    /// <summary>A fault in the gateway itself that a person must know about (store cannot commit, receiver down).</summary>
    Task SystemAlert(SystemAlertView alert);
}
