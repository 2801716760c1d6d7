namespace Telecare.Core.Registry;

/// <summary>A zone (reused when one of that name exists) with the responders and residents in it.</summary>
public sealed record ZoneImport(ZoneDraft Zone, IReadOnlyList<ResponderImport> Responders, IReadOnlyList<ResidentImport> Residents);
