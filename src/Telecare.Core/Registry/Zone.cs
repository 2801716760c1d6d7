namespace Telecare.Core.Registry;

/// <summary>A geographic patch with its own responders and attendance target.</summary>
public sealed record Zone(long Id, string Name, int AttendanceTargetMinutes);
