using Microsoft.Data.Sqlite;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Store;

public sealed class MigrationTests
{
    public static TheoryData<int> EarlierVersions()
    {
        var data = new TheoryData<int>();
        for (var version = 0; version < Migrations.LatestVersion; version++)
        {
            data.Add(version);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public void Migrates_from_every_earlier_version_to_the_latest(int startVersion)
    {
        using var directory = new TempDirectory();
        var factory = new SqliteConnectionFactory(directory.File("m.db"));
        using (var connection = factory.OpenWriter())
        {
            Migrations.Apply(connection, startVersion);
            Assert.Equal(startVersion, Migrations.GetVersion(connection));

            var from = Migrations.Apply(connection);

            Assert.Equal(startVersion, from);
            Assert.Equal(Migrations.LatestVersion, Migrations.GetVersion(connection));
            foreach (var table in new[] { "zones", "residents", "contacts", "devices", "responders", "users", "api_keys", "signals", "calls", "call_timeline", "assignments", "audit" })
            {
                Assert.True(TableExists(connection, table), $"table {table} missing after migrating from {startVersion}");
            }

            // Applying again is a no-op.
            Assert.Equal(Migrations.LatestVersion, Migrations.Apply(connection));
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Refuses_a_file_from_a_newer_gateway()
    {
        using var directory = new TempDirectory();
        var factory = new SqliteConnectionFactory(directory.File("n.db"));
        using (var connection = factory.OpenWriter())
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA user_version = {Migrations.LatestVersion + 1}";
                command.ExecuteNonQuery();
            }

            var error = Assert.Throws<InvalidOperationException>(() => Migrations.Apply(connection));
            Assert.Contains("newer", error.Message);
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Timeline_and_audit_are_append_only()
    {
        await using var store = new StoreFixture();
        await store.Writer.ExecuteAsync(context =>
        {
            using var command = context.Command("""
                INSERT INTO calls (kind, state, priority, event_type, raised_at) VALUES ('alarm', 'Raised', 1, 'pendant.press', 0);
                INSERT INTO call_timeline (call_id, at, actor, action) VALUES (last_insert_rowid(), 0, 'system', 'raised');
                INSERT INTO audit (at, actor, action) VALUES (0, 'admin', 'test');
                """);
            command.ExecuteNonQuery();
        });

        foreach (var sql in new[] { "UPDATE call_timeline SET action = 'x'", "DELETE FROM call_timeline", "UPDATE audit SET actor = 'x'", "DELETE FROM audit" })
        {
            var error = await Assert.ThrowsAsync<SqliteException>(() => store.Writer.ExecuteAsync(context =>
            {
                using var command = context.Command(sql);
                command.ExecuteNonQuery();
            }));
            Assert.Contains("append-only", error.Message);
        }
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return (long)command.ExecuteScalar()! == 1;
    }
}
