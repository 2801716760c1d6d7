namespace Telecare.Core.Registry;

/// <summary>How a write to the registry or the accounts ended; anything but <see cref="Saved"/> wrote nothing.</summary>
public enum SaveOutcome
{
    Saved = 1,

    /// <summary>The record to change does not exist.</summary>
    NotFound = 2,

    /// <summary>A name, username, device id or login that must be unique is taken.</summary>
    Duplicate = 3,

    /// <summary>The device is retired and can no longer be changed.</summary>
    Retired = 4,

    /// <summary>The zone referred to does not exist.</summary>
    ZoneMissing = 5,

    /// <summary>The resident referred to does not exist.</summary>
    ResidentMissing = 6,

    /// <summary>The user to link does not exist or does not have the responder role.</summary>
    UserNotResponder = 7,
}
