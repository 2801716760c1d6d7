namespace Telecare.Core.Calls;

/// <summary>Why a change to a call was refused. <see cref="Code"/> is stable for clients; <see cref="Reason"/> is for people.</summary>
public sealed record CallError(string Code, string Reason)
{
    public const string InvalidTransition = "invalid-transition";
    public const string AlreadyAnswered = "already-answered";
    public const string NotAssignedResponder = "not-assigned-responder";
    public const string MissingField = "missing-field";
    public const string UnknownOutcome = "unknown-outcome";
    public const string AlreadyRecorded = "already-recorded";
    public const string NotAllowed = "not-allowed";

    public override string ToString() => $"{Code}: {Reason}";
}
