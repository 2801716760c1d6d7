namespace Telecare.Core.ReadModels;

public sealed record RegisteredResponder(long Id, string Name, long? ZoneId);
