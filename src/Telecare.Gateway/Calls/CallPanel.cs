using System.Globalization;
using Telecare.Core.Assignments;
using Telecare.Core.Calls;
using Telecare.Core.History;
using Telecare.Core.Registry;
using Telecare.Core.Responders;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Calls;

/// <summary>
/// Everything a handler needs on one screen for a call: the resident (medical notes, contacts and keyholders, flags),
/// their devices and last check-ins, the signals on this call, their recent calls, the outcome codes, and the
/// responders with the suggested one first. Access details are not here: they are revealed on request, audited.
/// </summary>
public sealed class CallPanel(
    IResidentStore residents,
    IDeviceStore devices,
    IResponderStore responders,
    IAssignmentStore assignments,
    ICallHistory history,
    ResidentSecrets secrets,
    TimeProvider time)
{
    public sealed record ResidentPanel(long Id, string Name, string Address, string? Postcode, string? Phone, string? ZoneName,
        IReadOnlyList<string> Flags, string? MedicalNotes, bool HasAccessDetails, IReadOnlyList<Contact> Contacts);

    public sealed record DevicePanel(string DeviceId, string Type, DateTimeOffset? LastCheckIn, int? Battery, bool TestMode, string Status);

    public sealed record SignalPanel(long Id, string DeviceId, string EventType, bool Restore, DateTimeOffset ReceivedAt, string Source);

    public sealed record RecentCall(long Id, string EventType, string State, string? Outcome, DateTimeOffset RaisedAt);

    public sealed record ResponderChoice(long Id, string Name, bool OnDuty, string? ZoneName, int OpenWork, bool Suggested, bool SameZone, double? DistanceKm);

    public sealed record View(
        CallView Call, ResidentPanel? Resident, IReadOnlyList<DevicePanel> Devices, IReadOnlyList<SignalPanel> Signals,
        IReadOnlyList<RecentCall> RecentCalls, IReadOnlyList<string> OutcomeCodes, IReadOnlyList<ResponderChoice> Responders,
        long? SuggestedResponderId);

    public async Task<View> BuildAsync(Call call, CallView view, CancellationToken cancellationToken = default)
    {
        var residentId = long.TryParse(call.ResidentId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
        var resident = residentId is { } r ? await ResidentAsync(r, cancellationToken) : null;
        var (choices, suggested) = await RespondersAsync(call, view.ZoneName, cancellationToken);
        var now = time.GetUtcNow();
        var deviceList = (await devices.ListForCallAsync(residentId, call.DeviceRef, cancellationToken))
            .Select(d => new DevicePanel(d.DeviceId, d.Type, d.LastCheckinAt, d.Battery, d.TestModeUntil is { } until && until > now, d.Status))
            .ToList();
        var signals = (await history.SignalsAsync(call.Id, cancellationToken))
            .Select(s => new SignalPanel(s.Id, s.DeviceRef, s.EventType, s.Restore, s.ReceivedAt, s.Source.ToString().ToLowerInvariant()))
            .ToList();
        var recent = residentId is { } rid
            ? (await history.ForResidentAsync(rid, call.Id, 10, cancellationToken))
                .Select(c => new RecentCall(c.Id, c.EventType, c.State.ToString(), c.Outcome, c.RaisedAt)).ToList()
            : [];
        return new View(view, resident, deviceList, signals, recent, [.. CallOutcomeCatalog.Default.All.Select(o => o.Code)], choices, suggested);
    }

    private async Task<ResidentPanel?> ResidentAsync(long id, CancellationToken cancellationToken) =>
        await residents.GetAsync(id, cancellationToken) is { } r
            ? new ResidentPanel(r.Id, $"{r.FirstName} {r.LastName}", r.Address, r.Postcode, r.Phone, r.ZoneName, r.Flags,
                secrets.Unprotect(r.ProtectedMedicalNotes), r.HasAccessDetails, r.Contacts)
            : null;

    /// <summary>Every active responder; the suggestion (on duty, free, same zone, least open work, nearest) first.</summary>
    private async Task<(List<ResponderChoice> Choices, long? Suggested)> RespondersAsync(Call call, string? zone, CancellationToken cancellationToken)
    {
        var open = await assignments.OpenCountsAsync(cancellationToken);
        var candidates = (await responders.ListAsync(cancellationToken))
            .Where(r => r.Active)
            .Select(r => new ResponderCandidate(r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.OnDuty, Available: true, r.ZoneName,
                open.GetValueOrDefault(r.Id), r.Latitude, r.Longitude))
            .ToList();
        var ranked = ResponderSuggester.Suggest(candidates, zone, exclude: call.DeclinedBy);
        var suggested = ranked.Count > 0 ? long.Parse(ranked[0].Responder.Id, CultureInfo.InvariantCulture) : (long?)null;
        var order = ranked.Select((s, i) => (s.Responder.Id, i, s.SameZone, s.DistanceKm)).ToDictionary(x => x.Id);
        var choices = candidates
            .Select(c => (Candidate: c, Rank: order.TryGetValue(c.Id, out var o) ? o : (c.Id, int.MaxValue, false, (double?)null)))
            .OrderBy(x => x.Rank.Item2).ThenBy(x => x.Candidate.Name, StringComparer.OrdinalIgnoreCase)
            .Select(x => new ResponderChoice(long.Parse(x.Candidate.Id, CultureInfo.InvariantCulture), x.Candidate.Name ?? "", x.Candidate.OnDuty, x.Candidate.Zone,
                x.Candidate.OpenAssignments, long.Parse(x.Candidate.Id, CultureInfo.InvariantCulture) == suggested, x.Rank.Item3, x.Rank.Item4))
            .ToList();
        return (choices, suggested);
    }
}
