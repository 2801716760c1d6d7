namespace Telecare.Gateway.Calls;

/// <summary>A refused call action (invalid transition, lost claim, unknown call): the reason goes back to the person.</summary>
public sealed class CallActionException(string code, string reason) : Exception(reason)
{
    public string Code { get; } = code;
}
