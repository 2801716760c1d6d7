namespace Telecare.Core.Assignments;

/// <summary>Port: reading responders' assignments (committed rows only).</summary>
public interface IAssignmentStore
{
    ValueTask<Assignment?> GetAsync(long assignmentId, CancellationToken cancellationToken = default);

    /// <summary>The responder's assignments still on their phone, by id: not declined or withdrawn, and not both completed and left.</summary>
    ValueTask<IReadOnlyList<Assignment>> CurrentAsync(long responderId, CancellationToken cancellationToken = default);

    /// <summary>How many offered, accepted, en-route or arrived assignments each responder has; responders with none are absent.</summary>
    ValueTask<IReadOnlyDictionary<long, int>> OpenCountsAsync(CancellationToken cancellationToken = default);
}
