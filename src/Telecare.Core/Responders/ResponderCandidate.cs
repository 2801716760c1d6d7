namespace Telecare.Core.Responders;

/// <summary>A responder as assignment sees them right now.</summary>
public sealed record ResponderCandidate(
    string Id,
    string? Name,
    bool OnDuty,
    bool Available,
    string? Zone,
    int OpenAssignments,
    double? Latitude = null,
    double? Longitude = null);

/// <summary>One suggested responder with why they rank where they do.</summary>
public sealed record ResponderSuggestion(ResponderCandidate Responder, bool SameZone, double? DistanceKm);
