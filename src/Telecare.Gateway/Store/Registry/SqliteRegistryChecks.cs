namespace Telecare.Gateway.Store.Registry;

/// <summary>Reference checks inside a unit, so a missing zone or resident is answered before anything is written.</summary>
internal static class SqliteRegistryChecks
{
    public static bool ZoneExists(WriteContext context, long id) => Exists(context, "SELECT EXISTS (SELECT 1 FROM zones WHERE id = $id)", id);

    public static bool ResidentExists(WriteContext context, long id) => Exists(context, "SELECT EXISTS (SELECT 1 FROM residents WHERE id = $id)", id);

    public static bool DeviceExists(WriteContext context, long id) => Exists(context, "SELECT EXISTS (SELECT 1 FROM devices WHERE id = $id)", id);

    private static bool Exists(WriteContext context, string sql, long id)
    {
        using var command = context.Command(sql, ("$id", id));
        return (long)command.ExecuteScalar()! == 1;
    }
}
