using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Store;

public sealed class BackupTests
{
    [Fact]
    public async Task An_online_backup_on_demand_is_a_consistent_copy_and_only_the_newest_are_kept()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Store:BackupsToKeep"] = "2" });
        var installer = factory.ClientAs(Roles.Installer);
        for (var seq = 0; seq < 5; seq++)
        {
            await installer.PostAsync("/api/v1/signals", new StringContent($$"""{"deviceId":"backup-dev","seq":{{seq}},"type":"device.heartbeat"}""", Encoding.UTF8, "application/json"));
        }

        var admin = factory.ClientAs(Roles.Admin);
        var paths = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await admin.PostAsync("/api/v1/admin/backup", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            paths.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!);
        }

        Assert.False(File.Exists(paths[0]), "the oldest backup should have been pruned");
        Assert.True(File.Exists(paths[2]));
        using var copy = new SqliteConnection($"Data Source={paths[2]};Mode=ReadOnly;Pooling=False");
        copy.Open();
        using var command = copy.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM signals WHERE device_ref = 'backup-dev'";
        Assert.Equal(5L, (long)command.ExecuteScalar()!);
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string)command.ExecuteScalar()!);
    }
}
