namespace Telecare.Core.Audit;

/// <summary>The audit trail's action names; every store implementation writes the same ones.</summary>
public static class AuditActions
{
    public const string ZoneCreate = "zone.create";
    public const string ZoneUpdate = "zone.update";
    public const string ResidentCreate = "resident.create";
    public const string ResidentUpdate = "resident.update";
    public const string ResidentAccessDetailsReveal = "resident.access-details.reveal";
    public const string ResidentAccessDetailsDeliver = "resident.access-details.deliver";
    public const string ResidentExpectedActivitySet = "resident.expected-activity.set";
    public const string DeviceRegister = "device.register";
    public const string DeviceUpdate = "device.update";
    public const string DeviceBind = "device.bind";
    public const string DeviceTestMode = "device.test-mode";
    public const string DeviceRetire = "device.retire";
    public const string ResponderCreate = "responder.create";
    public const string ResponderUpdate = "responder.update";
    public const string ResponderOnDuty = "responder.on-duty";
    public const string ResponderOffDuty = "responder.off-duty";
    public const string UserCreate = "user.create";
    public const string UserDisable = "user.disable";
    public const string ApiKeyCreate = "api-key.create";
    public const string ApiKeyRevoke = "api-key.revoke";
}
