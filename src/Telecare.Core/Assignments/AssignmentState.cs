namespace Telecare.Core.Assignments;

/// <summary>Where a responder's assignment stands. Declined, Withdrawn and Completed are final; Left can follow Completed.</summary>
public enum AssignmentState
{
    Offered = 1,
    Accepted = 2,
    Declined = 3,
    EnRoute = 4,
    Arrived = 5,
    Left = 6,
    Completed = 7,

    /// <summary>The call was given to another responder.</summary>
    Withdrawn = 8,
}
