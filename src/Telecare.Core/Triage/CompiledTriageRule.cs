namespace Telecare.Core.Triage;

/// <summary>One validated rule with its predicates and its texts prepared, so triage builds no strings.</summary>
internal sealed class CompiledTriageRule
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    public required TriagePriority Priority { get; init; }
    public required TriageAction Action { get; init; }
    public required string[] Events { get; init; }
    public required string[] DeviceTypes { get; init; }
    public required string[] ResidentFlags { get; init; }
    public required string[] Zones { get; init; }
    public required bool HasWindow { get; init; }
    public required LocalTimeWindow Window { get; init; }
    public required bool? Restore { get; init; }
    public required bool? CallOpen { get; init; }
    public required string Reason { get; init; }
    public required string TestModeReason { get; init; }
    public required string UnknownDeviceReason { get; init; }

    /// <summary>Priority of the technical call raised when this rule matches a signal from an unknown device.</summary>
    public required TriagePriority UnknownDevicePriority { get; init; }

    /// <param name="localMinute">Minute of the local day, or -1 until a rule with a window needs it (computed once).</param>
    public bool Matches(bool restore, in TriageEnrichment e, DateTimeOffset at, TimeZoneInfo timeZone, ref int localMinute)
    {
        if (Restore is { } wantRestore && wantRestore != restore)
        {
            return false;
        }

        if (CallOpen is { } wantOpen && wantOpen != e.CallOpenForResident)
        {
            return false;
        }

        if (DeviceTypes.Length > 0 && !AnyEquals(DeviceTypes, e.DeviceType))
        {
            return false;
        }

        if (Zones.Length > 0 && !AnyEquals(Zones, e.Zone))
        {
            return false;
        }

        if (ResidentFlags.Length > 0 && !HasAllFlags(e.ResidentFlags))
        {
            return false;
        }

        if (HasWindow)
        {
            if (localMinute < 0)
            {
                localMinute = LocalTimeWindow.MinuteOfDay(at, timeZone);
            }

            if (!Window.Contains(localMinute))
            {
                return false;
            }
        }

        return true;
    }

    private bool HasAllFlags(IReadOnlyList<string>? residentFlags)
    {
        if (residentFlags is null)
        {
            return false;
        }

        // Indexed loops, not foreach over the interface: enumerating an IReadOnlyList boxes its enumerator.
        for (var i = 0; i < ResidentFlags.Length; i++)
        {
            var found = false;
            for (var j = 0; j < residentFlags.Count; j++)
            {
                if (string.Equals(ResidentFlags[i], residentFlags[j], StringComparison.OrdinalIgnoreCase))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyEquals(string[] candidates, string? value)
    {
        if (value is null)
        {
            return false;
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            if (string.Equals(candidates[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
