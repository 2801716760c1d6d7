using Telecare.Core.Store;

namespace Telecare.Core.Assignments;

/// <summary>
/// Port: changes to assignments, made inside a unit of the store's writer that the caller already holds: an
/// assignment row must commit together with the call transition it belongs to, or not at all.
/// </summary>
public interface IAssignmentWrites
{
    /// <summary>
    /// Offers the call to the responder and withdraws the call's assignment still going, if any. When the call has a
    /// resident (<paramref name="residentId"/>), the offer carries their access details to the phone: that delivery is audited in the same unit.
    /// </summary>
    AssignmentOffer Offer(IStoreUnit unit, long callId, long responderId, long? residentId, DateTimeOffset at, string assignedBy);

    /// <summary>
    /// The responder's tap: stamps the time of <paramref name="state"/> and moves the assignment there, keeping an
    /// outcome already given when <paramref name="outcome"/> is null. Leaving keeps a completed assignment completed.
    /// </summary>
    void Record(IStoreUnit unit, long assignmentId, AssignmentState state, DateTimeOffset at, string? outcome);
}
