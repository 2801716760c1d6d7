namespace Telecare.Gateway.Hubs;

/// <summary>What /hubs/responder pushes to one responder's phone: only their own assignments.</summary>
public interface IResponderClient
{
    Task Snapshot(ResponderSnapshot snapshot);

    Task AssignmentOffered(AssignmentView assignment);

    Task AssignmentUpdated(AssignmentView assignment);

    /// <summary>The call was cancelled or given to someone else.</summary>
    Task AssignmentWithdrawn(long assignmentId);
}
