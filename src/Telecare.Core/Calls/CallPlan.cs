namespace Telecare.Core.Calls;

public enum CallPlanKind
{
    /// <summary>Record or Suppress: the stored signal is the whole record.</summary>
    Nothing = 1,

    /// <summary>A test-mode device: confirm to the installer (device ack), no call.</summary>
    ConfirmTest,

    /// <summary>Save <see cref="CallPlan.NewCall"/> and push CallRaised.</summary>
    RaiseCall,

    /// <summary>Save <see cref="CallPlan.NewCall"/> (a technical call) and push TicketRaised.</summary>
    RaiseTicket,

    /// <summary>Apply <see cref="CallPlan.Command"/> to the existing call and push CallUpdated (or CallClosed).</summary>
    UpdateCall,
}

/// <summary>What the gateway should do with a triaged signal; see <see cref="CallPlanner"/>.</summary>
public sealed record CallPlan(CallPlanKind Kind, Call? NewCall = null, Call? Existing = null, CallCommand? Command = null)
{
    public static CallPlan Nothing { get; } = new(CallPlanKind.Nothing);

    public static CallPlan ConfirmTest { get; } = new(CallPlanKind.ConfirmTest);
}
