namespace Telecare.Core.Registry;

/// <summary>
/// A resident as stored. Medical notes stay protected (encrypted by the caller before they were saved); access details
/// are never part of a read, only whether there are any.
/// </summary>
public sealed record Resident(
    long Id, long? ZoneId, string? ZoneName, string FirstName, string LastName, string Address, string? Postcode, string? Phone,
    string? DateOfBirth, IReadOnlyList<string> Flags, string? ProtectedMedicalNotes, bool HasAccessDetails, IReadOnlyList<Contact> Contacts);
