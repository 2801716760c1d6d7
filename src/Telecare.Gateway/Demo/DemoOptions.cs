using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Demo;

/// <summary>Section "Demo" (its own value, <c>Demo=true</c>, is the switch): how the demo data set is seeded.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// The check-in interval <see cref="DemoSeeder.FrequentCheckInDevice"/> gets when the data is first seeded, so the
    /// silent device of <c>firmware-sim demo</c> is reported offline within minutes, not hours.
    /// </summary>
    [Range(1, 86_400)]
    public int FrequentCheckInSeconds { get; set; } = 60;
}
