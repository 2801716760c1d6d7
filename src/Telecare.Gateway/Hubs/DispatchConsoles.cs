using Microsoft.AspNetCore.SignalR;

namespace Telecare.Gateway.Hubs;

/// <summary>Every connected dispatch console. Pushes return at once; a console that stops reading is dropped (<see cref="LivePush"/>).</summary>
public sealed class DispatchConsoles(IHubContext<DispatchHub, IDispatchClient> hub, LivePush push)
{
    public void CallRaised(CallView call) => push.Start(nameof(CallRaised), token => hub.Clients.All.CallRaised(call, token));

    public void CallUpdated(CallView call) => push.Start(nameof(CallUpdated), token => hub.Clients.All.CallUpdated(call, token));

    public void CallClosed(CallClosedView closed) => push.Start(nameof(CallClosed), token => hub.Clients.All.CallClosed(closed, token));

    public void TicketRaised(CallView ticket) => push.Start(nameof(TicketRaised), token => hub.Clients.All.TicketRaised(ticket, token));

    public void TargetBreached(TargetBreachView breach) => push.Start(nameof(TargetBreached), token => hub.Clients.All.TargetBreached(breach, token));

    public void SystemAlert(SystemAlertView alert) => push.Start(nameof(SystemAlert), token => hub.Clients.All.SystemAlert(alert, token));
}
