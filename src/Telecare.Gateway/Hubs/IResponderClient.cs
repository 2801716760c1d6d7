using Telecare.Gateway.Calls;

namespace Telecare.Gateway.Hubs;

/// <summary>
/// What /hubs/responder pushes to one responder's phone: only their own assignments. The token is not sent: it lets
/// a push give up on a phone that stopped reading (see <see cref="LivePush"/>).
/// </summary>
public interface IResponderClient
{
    Task Snapshot(ResponderSnapshot snapshot);

    Task AssignmentOffered(AssignmentView assignment, CancellationToken cancellationToken = default);

    Task AssignmentUpdated(AssignmentView assignment, CancellationToken cancellationToken = default);

    /// <summary>The call was cancelled or given to someone else.</summary>
    Task AssignmentWithdrawn(long assignmentId, CancellationToken cancellationToken = default);
}
