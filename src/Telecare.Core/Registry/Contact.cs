namespace Telecare.Core.Registry;

/// <summary>A resident's contact; keyholders can let a responder in.</summary>
public sealed record Contact(long Id, string Name, string? Relationship, string Phone, bool IsKeyholder, int Priority);
