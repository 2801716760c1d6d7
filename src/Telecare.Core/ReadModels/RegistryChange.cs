namespace Telecare.Core.ReadModels;

/// <summary>
/// One row of the registry as the store now holds it, or its removal (<see cref="Row"/> null). The store sends these
/// for the rows a commit changed; with several gateways on one database, each gateway applies the others' changes too.
/// </summary>
public abstract record RegistryChange
{
    private RegistryChange() { }

    public sealed record Device(long Id, RegisteredDevice? Row) : RegistryChange;

    public sealed record Resident(long Id, RegisteredResident? Row) : RegistryChange;

    public sealed record Zone(long Id, RegisteredZone? Row) : RegistryChange;

    public sealed record Responder(long Id, RegisteredResponder? Row) : RegistryChange;
}
