namespace Telecare.Core.ReadModels;

public sealed record RegisteredZone(long Id, string Name, int AttendanceTargetMinutes);
