namespace Telecare.Core.ReadModels;

/// <summary>What triage and the consoles need of a resident. <see cref="AccessProtected"/> stays protected (never shown here).</summary>
public sealed record RegisteredResident(
    long Id, string Name, string Address, string? Postcode, long? ZoneId, IReadOnlyList<string> Flags, string? AccessProtected);
