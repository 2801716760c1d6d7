namespace Telecare.Core.Assignments;

/// <summary>A new offer and the assignment it took the call from, if the call had one still going.</summary>
public sealed record AssignmentOffer(long AssignmentId, long? WithdrawnAssignmentId, long? WithdrawnResponderId);
