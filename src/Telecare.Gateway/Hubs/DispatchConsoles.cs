using Microsoft.AspNetCore.SignalR;
using Telecare.Core.Calls;
using Telecare.Core.Timers;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Health;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// Every connected dispatch console: the calls' and the alerts' notifier. Pushes return at once; a console that stops
/// reading is dropped (<see cref="LivePush"/>).
/// </summary>
public sealed class DispatchConsoles(IHubContext<DispatchHub, IDispatchClient> hub, CallDirectory directory, LivePush push)
    : ICallNotifier, ISystemAlertNotifier
{
    public void CallRaised(Call call)
    {
        var view = directory.ToView(call);
        push.Start(nameof(CallRaised), token => hub.Clients.All.CallRaised(view, token));
    }

    public void CallUpdated(Call call, CallTimelineEntry entry)
    {
        var view = directory.ToView(call);
        push.Start(nameof(CallUpdated), token => hub.Clients.All.CallUpdated(view, token));
    }

    public void CallClosed(Call call)
    {
        var closed = new CallClosedView(call.Id, call.State.ToString(), call.Version);
        push.Start(nameof(CallClosed), token => hub.Clients.All.CallClosed(closed, token));
    }

    public void TicketRaised(Call ticket)
    {
        var view = directory.ToView(ticket);
        push.Start(nameof(TicketRaised), token => hub.Clients.All.TicketRaised(view, token));
    }

    public void TargetBreached(Call call, DueTimer breach)
    {
        var view = new TargetBreachView(call.Id, TimerService.TargetName(breach.Kind), breach.DueAt, breach.Reason);
        push.Start(nameof(TargetBreached), token => hub.Clients.All.TargetBreached(view, token));
    }

    public void SystemAlert(SystemAlertView alert) => push.Start(nameof(SystemAlert), token => hub.Clients.All.SystemAlert(alert, token));
}
