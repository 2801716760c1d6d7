namespace Telecare.Core.Registry;

/// <summary>What a responder is created or updated with.</summary>
public sealed record ResponderDraft(long? UserId, string Name, string? Phone, long? ZoneId, bool OnDuty, double? Latitude, double? Longitude);
