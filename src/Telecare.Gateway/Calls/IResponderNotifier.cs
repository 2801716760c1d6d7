namespace Telecare.Gateway.Calls;

/// <summary>Tells one responder's phone of its assignments (the responder hub implements it); returns at once.</summary>
public interface IResponderNotifier
{
    void Offered(long responderId, AssignmentView assignment);

    void Updated(long responderId, AssignmentView assignment);

    /// <summary>The call was cancelled or given to someone else.</summary>
    void Withdrawn(long responderId, long assignmentId);
}
