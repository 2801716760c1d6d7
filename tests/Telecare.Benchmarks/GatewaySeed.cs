using Microsoft.Data.Sqlite;
using Telecare.FirmwareSim.Devices;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Benchmarks;

/// <summary>Devices registered with one shared secret, written straight into a freshly migrated store before the gateway starts.</summary>
internal static class GatewaySeed
{
    public static void Devices(string databasePath, string secret, IEnumerable<(string Id, string Type)> devices)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        Migrations.Apply(connection);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO devices (device_id, type, secret_hash, created_at) VALUES ($id, $type, $hash, $now)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        insert.Parameters.AddWithValue("$hash", Secrets.Hash(secret));
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var device in devices)
        {
            id.Value = device.Id;
            type.Value = device.Type;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>A fleet's devices with the gateway's name for each kind.</summary>
    public static IEnumerable<(string Id, string Type)> Of(DeviceFleetOptions fleet) => fleet.Devices().Select(d => (d.Id, GatewayType(d.Kind)));

    private static string GatewayType(DeviceKind kind) => kind switch
    {
        DeviceKind.Pendant => "pendant",
        DeviceKind.FallDetector => "fall-detector",
        DeviceKind.Smoke => "smoke",
        DeviceKind.CarbonMonoxide => "co",
        DeviceKind.Flood => "flood",
        DeviceKind.Temperature => "temperature",
        DeviceKind.Door => "door",
        DeviceKind.Bed => "bed",
        DeviceKind.Chair => "chair",
        DeviceKind.Pir => "pir",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
