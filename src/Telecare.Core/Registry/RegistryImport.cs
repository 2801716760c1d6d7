using Telecare.Core.Accounts;

namespace Telecare.Core.Registry;

/// <summary>
/// A whole registry to load at once (the demo data set): users first, then each zone with its responders and
/// residents. Zone, user and resident ids in the drafts are ignored: the import links what it creates.
/// </summary>
public sealed record RegistryImport(IReadOnlyList<NewUser> Users, IReadOnlyList<ZoneImport> Zones);
