using Microsoft.Data.Sqlite;
using Telecare.Core.ReadModels;

namespace Telecare.Gateway.Store.ReadModels;

/// <summary>The registry's rows as the read model holds them: all of them at start, one at a time after a change.</summary>
internal static class RegistryRows
{
    private const string DeviceColumns = "id, device_id, type, resident_id, status, test_mode_until FROM devices";
    private const string ResidentColumns = "id, first_name || ' ' || last_name, address, postcode, zone_id, flags, access_details_protected FROM residents";
    private const string ZoneColumns = "id, name, attendance_target_minutes FROM zones";
    private const string ResponderColumns = "id, name, zone_id FROM responders";

    public static void LoadAll(WriteContext context, IRegistryReadModel model) =>
        model.Reset(
            Read(context, $"SELECT {DeviceColumns}", Device),
            Read(context, $"SELECT {ResidentColumns}", Resident),
            Read(context, $"SELECT {ZoneColumns}", Zone),
            Read(context, $"SELECT {ResponderColumns}", Responder));

    /// <summary>The row as this transaction sees it: the change is in it, though not yet committed.</summary>
    public static RegistryChange? Load(WriteContext context, string table, long id) => table switch
    {
        "devices" => new RegistryChange.Device(id, One(context, $"SELECT {DeviceColumns} WHERE id = $id", id, Device)),
        "residents" => new RegistryChange.Resident(id, One(context, $"SELECT {ResidentColumns} WHERE id = $id", id, Resident)),
        "zones" => new RegistryChange.Zone(id, One(context, $"SELECT {ZoneColumns} WHERE id = $id", id, Zone)),
        "responders" => new RegistryChange.Responder(id, One(context, $"SELECT {ResponderColumns} WHERE id = $id", id, Responder)),
        _ => null,
    };

    private static RegisteredDevice Device(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4) == "active",
        r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));

    private static RegisteredResident Resident(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
        r.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries), r.IsDBNull(6) ? null : r.GetString(6));

    private static RegisteredZone Zone(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt32(2));

    private static RegisteredResponder Responder(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2));

    private static List<T> Read<T>(WriteContext context, string sql, Func<SqliteDataReader, T> row)
    {
        using var command = context.Command(sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private static T? One<T>(WriteContext context, string sql, long id, Func<SqliteDataReader, T> row)
        where T : class
    {
        using var command = context.Command(sql);
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? row(reader) : null;
    }
}
