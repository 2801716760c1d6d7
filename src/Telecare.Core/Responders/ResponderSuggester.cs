namespace Telecare.Core.Responders;

/// <summary>
/// Suggests responders for a call; the handler confirms. Only available, on-duty responders are suggested,
/// ordered: the resident's zone first, then least open work, then nearest (where both locations are
/// known; unknown distances after known ones), then id so the order is stable.
/// </summary>
public static class ResponderSuggester
{
    private const double EarthRadiusKm = 6371.0088;

    /// <param name="exclude">Responders to leave out, e.g. those who declined this call.</param>
    public static IReadOnlyList<ResponderSuggestion> Suggest(
        IEnumerable<ResponderCandidate> responders,
        string? zone,
        double? latitude = null,
        double? longitude = null,
        IEnumerable<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(responders);
        var excluded = exclude is null ? null : new HashSet<string>(exclude, StringComparer.Ordinal);
        var list = new List<ResponderSuggestion>();
        foreach (var r in responders)
        {
            if (!r.OnDuty || !r.Available || (excluded?.Contains(r.Id) ?? false))
            {
                continue;
            }

            var sameZone = zone is not null && string.Equals(r.Zone, zone, StringComparison.OrdinalIgnoreCase);
            double? distance = latitude is { } lat && longitude is { } lon && r.Latitude is { } rlat && r.Longitude is { } rlon
                ? DistanceKm(lat, lon, rlat, rlon)
                : null;
            list.Add(new ResponderSuggestion(r, sameZone, distance));
        }

        list.Sort(Compare);
        return list;
    }

    /// <summary>Great-circle distance (haversine).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static int Compare(ResponderSuggestion a, ResponderSuggestion b)
    {
        var c = b.SameZone.CompareTo(a.SameZone);
        if (c != 0)
        {
            return c;
        }

        c = a.Responder.OpenAssignments.CompareTo(b.Responder.OpenAssignments);
        if (c != 0)
        {
            return c;
        }

        c = (a.DistanceKm, b.DistanceKm) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            (not null, null) => -1,
            (null, not null) => 1,
            _ => 0,
        };
        return c != 0 ? c : string.CompareOrdinal(a.Responder.Id, b.Responder.Id);
    }
}
