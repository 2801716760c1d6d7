namespace Telecare.Core.Registry;

/// <summary>A night or mobile responder: zone, duty, last known position and the login linked to it.</summary>
public sealed record Responder(
    long Id, string Name, string? Phone, long? ZoneId, string? ZoneName, bool OnDuty, double? Latitude, double? Longitude, long? UserId, bool Active);
