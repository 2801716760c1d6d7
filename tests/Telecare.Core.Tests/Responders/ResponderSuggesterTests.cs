using Telecare.Core.Responders;

namespace Telecare.Core.Tests.Responders;

public sealed class ResponderSuggesterTests
{
    [Fact]
    public void Orders_by_zone_then_open_work_then_distance_and_leaves_out_the_unavailable()
    {
        ResponderCandidate[] responders =
        [
            new("a", "A", OnDuty: true, Available: true, "Devizes", OpenAssignments: 1, 51.36, -1.99),
            new("b", "B", true, true, "Devizes", 0),
            new("c", "C", true, true, "devizes", 0, 51.50, -1.90),
            new("d", "D", true, true, "Devizes", 0, 51.351, -1.99),
            new("e", "E", true, true, "Pewsey", 0, 51.35, -1.99),
            new("f", "F", OnDuty: false, Available: true, "Devizes", 0, 51.35, -1.99),
            new("g", "G", OnDuty: true, Available: false, "Devizes", 0, 51.35, -1.99),
            new("h", "H", true, true, "Devizes", 0, 51.35, -1.99),
        ];

        var suggested = ResponderSuggester.Suggest(responders, "Devizes", 51.35, -1.99, exclude: ["h"]);

        Assert.Equal(["d", "c", "b", "a", "e"], suggested.Select(s => s.Responder.Id));
        Assert.True(suggested[0].SameZone);
        Assert.False(suggested[^1].SameZone);
        Assert.Null(suggested[2].DistanceKm);
        Assert.InRange(suggested[0].DistanceKm!.Value, 0.05, 0.2);
    }

    [Fact]
    public void Without_a_resident_location_least_work_decides_then_id()
    {
        ResponderCandidate[] responders =
        [
            new("z", null, true, true, "Wilton", 2, 51.0, -1.8),
            new("y", null, true, true, "Wilton", 0, 51.0, -1.8),
            new("x", null, true, true, "Wilton", 0),
        ];
        Assert.Equal(["x", "y", "z"], ResponderSuggester.Suggest(responders, "Wilton").Select(s => s.Responder.Id));
        Assert.Empty(ResponderSuggester.Suggest([], "Wilton"));
    }

    [Fact]
    public void Haversine_distance_is_about_right()
    {
        // Salisbury Cathedral to Stonehenge is about 13 km.
        var km = ResponderSuggester.DistanceKm(51.0650, -1.7973, 51.1789, -1.8262);
        Assert.InRange(km, 12.5, 13.2);
    }
}
