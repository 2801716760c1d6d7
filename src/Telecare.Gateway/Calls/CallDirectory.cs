using System.Globalization;
using Telecare.Core.Calls;
using Telecare.Core.ReadModels;
using Telecare.Gateway.Hubs;

namespace Telecare.Gateway.Calls;

/// <summary>
/// What triage and the consoles need to know about a device, a resident and a responder, from the registry held in
/// memory: building a view or triaging a signal reads nothing from the store.
/// </summary>
public sealed class CallDirectory(IRegistryReadModel registry, TimeProvider time)
{
    public sealed record DeviceInfo(long Id, string Type, long? ResidentId, bool TestMode, string? ZoneName, long? ZoneId, IReadOnlyList<string> Flags);

    public sealed record ResidentInfo(long Id, string Name, string Address, string? Postcode, long? ZoneId, string? ZoneName, IReadOnlyList<string> Flags, string? AccessProtected);

    /// <summary>An active device by its reference (MQTT id, or "receiver/account"), with its resident's zone and flags.</summary>
    public DeviceInfo? FindDevice(string deviceRef)
    {
        if (registry.FindDevice(deviceRef) is not { Active: true } device)
        {
            return null;
        }

        var resident = device.ResidentId is { } residentId ? registry.FindResident(residentId) : null;
        var zone = resident?.ZoneId is { } zoneId ? registry.FindZone(zoneId) : null;
        return new DeviceInfo(device.Id, device.Type, device.ResidentId, device.InTestModeAt(time.GetUtcNow()), zone?.Name, resident?.ZoneId,
            resident?.Flags ?? []);
    }

    public ResidentInfo? FindResident(long id)
    {
        if (registry.FindResident(id) is not { } resident)
        {
            return null;
        }

        var zone = resident.ZoneId is { } zoneId ? registry.FindZone(zoneId) : null;
        return new ResidentInfo(resident.Id, resident.Name, resident.Address, resident.Postcode, resident.ZoneId, zone?.Name, resident.Flags,
            resident.AccessProtected);
    }

    public string? ResponderName(string? responderId) =>
        long.TryParse(responderId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? registry.FindResponder(id)?.Name : null;

    /// <summary>The device's type, retired devices included (a call outlives its device).</summary>
    public string? DeviceType(string? deviceRef) => deviceRef is null ? null : registry.FindDevice(deviceRef)?.Type;

    /// <summary>The console's view of a call: the call plus who and where.</summary>
    public CallView ToView(Call call)
    {
        var resident = long.TryParse(call.ResidentId, out var residentId) ? FindResident(residentId) : null;
        return new CallView
        {
            Id = call.Id,
            Kind = call.Kind switch { CallKind.Technical => "technical", CallKind.Wellbeing => "wellbeing", _ => "alarm" },
            State = call.State.ToString(),
            Priority = (int)call.Priority,
            EventType = call.EventType ?? (call.IsManual ? "manual" : "unknown"),
            Rule = call.RuleName,
            Manual = call.IsManual,
            Summary = call.Reason,
            ResidentId = resident?.Id,
            ResidentName = resident?.Name,
            Address = resident is null ? null : $"{resident.Address}{(resident.Postcode is null ? "" : ", " + resident.Postcode)}",
            ZoneId = resident?.ZoneId,
            ZoneName = resident?.ZoneName ?? call.Zone,
            Flags = resident?.Flags ?? [],
            DeviceId = call.DeviceRef,
            DeviceType = DeviceType(call.DeviceRef),
            RaisedAt = call.RaisedAt,
            AnsweredAt = call.AnsweredAt,
            AnsweredBy = call.HandlerId,
            ResponderId = long.TryParse(call.AssignedResponderId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var responder) ? responder : null,
            ResponderName = ResponderName(call.AssignedResponderId),
            AssignedAt = call.AssignedAt,
            AcceptedAt = call.AcceptedAt,
            EnRouteAt = call.EnRouteAt,
            OnSceneAt = call.OnSceneAt,
            ResolvedAt = call.ResolvedAt,
            Outcome = call.Outcome,
            EmergencyServicesCalled = call.EmergencyServicesCalled,
            CancelledByResident = call.CancelledByResident,
            Version = call.Version,
        };
    }
}
