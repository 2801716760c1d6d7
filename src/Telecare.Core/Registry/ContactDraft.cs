namespace Telecare.Core.Registry;

public sealed record ContactDraft(string Name, string? Relationship, string Phone, bool IsKeyholder, int Priority);
