using Microsoft.Data.Sqlite;
using Telecare.Gateway.Store.Registry;

namespace Telecare.Gateway.Admin;

public static partial class ResidentEndpoints
{
    /// <summary>
    /// A resident's contacts on the call panel's own reader connection. Kept only for Calls/CallPanel, which still reads
    /// through SQLite itself; remove once it reads residents through <see cref="Telecare.Core.Registry.IResidentStore"/>.
    /// </summary>
    internal static List<ContactView> Contacts(SqliteConnection connection, long residentId) =>
        [.. SqliteResidentStore.ReadContacts(connection, residentId).Select(View)];
}
