namespace Telecare.Protocols.Receivers;

/// <summary>The Contact ID event qualifier digit (Q).</summary>
public enum ContactIdQualifier
{
    /// <summary>1: a new event, or an opening.</summary>
    New = 1,

    /// <summary>3: the condition cleared (restore), or a closing.</summary>
    Restore = 3,

    /// <summary>6: a previously reported condition is still present (status report).</summary>
    StillPresent = 6,
}
