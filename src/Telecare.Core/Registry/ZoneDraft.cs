namespace Telecare.Core.Registry;

/// <summary>What a zone is created or updated with.</summary>
public sealed record ZoneDraft(string Name, int AttendanceTargetMinutes);
