namespace Telecare.Core.Registry;

/// <summary>
/// What a resident is created or updated with. Notes and access details arrive already protected. A null
/// <see cref="ProtectedAccessDetails"/> keeps the stored ones on update; null <see cref="Contacts"/> keeps the stored
/// contacts on update (on create: none), otherwise they are replaced.
/// </summary>
public sealed record ResidentDraft(
    long? ZoneId, string FirstName, string LastName, string Address, string? Postcode, string? Phone, string? DateOfBirth,
    IReadOnlyList<string> Flags, string? ProtectedMedicalNotes, string? ProtectedAccessDetails, IReadOnlyList<ContactDraft>? Contacts);
