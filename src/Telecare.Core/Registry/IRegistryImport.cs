namespace Telecare.Core.Registry;

/// <summary>Port: loads a <see cref="RegistryImport"/> in one unit, so it is there entirely or not at all. Not audited: nobody made these changes.</summary>
public interface IRegistryImport
{
    ValueTask ImportAsync(RegistryImport registry, CancellationToken cancellationToken = default);
}
