namespace Telecare.Core.Registry;

/// <summary>The outcome of a reveal: whether the resident exists, and their access details still protected.</summary>
public readonly record struct RevealedAccessDetails(bool Found, string? ProtectedText);
