using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Store;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Store;

public sealed class StoreWriterTests
{
    private static Task InsertZone(StoreWriter writer, string name) =>
        writer.ExecuteAsync(context =>
        {
            using var command = context.Command("INSERT INTO zones (name, created_at) VALUES ($name, 0)");
            command.Parameters.AddWithValue("$name", name);
            command.ExecuteNonQuery();
        });

    [Fact]
    public async Task Concurrent_writes_are_grouped_into_fewer_commits_and_all_are_stored()
    {
        await using var store = new StoreFixture();
        var batchSizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "telecare.store.commit.batch_size" && instrument.Meter.Scope == store.Meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            lock (batchSizes)
            {
                batchSizes.Add(value);
            }
        });
        listener.Start();

        const int writes = 2000;
        await Task.WhenAll(Enumerable.Range(0, writes).Select(i => Task.Run(() => InsertZone(store.Writer, $"zone-{i}"))));

        Assert.Equal(writes, store.Scalar("SELECT COUNT(*) FROM zones"));
        lock (batchSizes)
        {
            Assert.Equal(writes, batchSizes.Sum());
            Assert.True(batchSizes.Count < writes, $"expected group commit, got {batchSizes.Count} commits for {writes} writes");
            Assert.Contains(batchSizes, size => size > 1);
        }
    }

    [Fact]
    public async Task Batch_never_exceeds_the_configured_maximum()
    {
        await using var store = new StoreFixture(new StoreOptions { MaxBatch = 7 });
        var largest = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "telecare.store.commit.batch_size" && instrument.Meter.Scope == store.Meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => InterlockedMax(ref largest, value));
        listener.Start();

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => InsertZone(store.Writer, $"z{i}")));

        Assert.Equal(500, store.Scalar("SELECT COUNT(*) FROM zones"));
        Assert.InRange(largest, 1, 7);
    }

    [Fact]
    public async Task A_failing_unit_is_rolled_back_alone_and_its_neighbours_commit()
    {
        await using var store = new StoreFixture();
        var good1 = InsertZone(store.Writer, "a");
        var bad = store.Writer.ExecuteAsync(context =>
        {
            using (var command = context.Command("INSERT INTO zones (name, created_at) VALUES ('half-written', 0)"))
            {
                command.ExecuteNonQuery();
            }

            throw new InvalidOperationException("unit fails after writing");
        });
        var good2 = InsertZone(store.Writer, "b");

        await good1;
        await good2;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("unit fails after writing", error.Message);
        Assert.Equal(2, store.Scalar("SELECT COUNT(*) FROM zones"));
        Assert.Equal(0, store.Scalar("SELECT COUNT(*) FROM zones WHERE name = 'half-written'"));
        Assert.True(store.Writer.IsHealthy);
    }

    [Fact]
    public async Task A_failing_commit_fails_every_unit_in_the_batch_and_the_writer_recovers()
    {
        await using var store = new StoreFixture(new StoreOptions { MaxBatchWaitMilliseconds = 20 });

        // Deferred foreign keys are checked at COMMIT: this unit succeeds, but the transaction cannot commit.
        var poison = store.Writer.ExecuteAsync(context =>
        {
            using var command = context.Command("PRAGMA defer_foreign_keys = ON; INSERT INTO contacts (resident_id, name, phone) VALUES (999999, 'x', '1');");
            command.ExecuteNonQuery();
        });
        var neighbour = InsertZone(store.Writer, "in-the-same-batch");

        await Assert.ThrowsAsync<StoreUnavailableException>(() => poison);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => neighbour);
        Assert.False(store.Writer.IsHealthy);
        Assert.Equal(0, store.Scalar("SELECT COUNT(*) FROM zones"));

        await InsertZone(store.Writer, "after");
        Assert.True(store.Writer.IsHealthy);
        Assert.Equal(1, store.Scalar("SELECT COUNT(*) FROM zones"));
    }

    [Fact]
    public async Task Completion_comes_only_after_the_data_is_readable_from_another_connection()
    {
        await using var store = new StoreFixture();
        for (var i = 0; i < 50; i++)
        {
            await InsertZone(store.Writer, $"visible-{i}");
            Assert.Equal(i + 1, store.Scalar("SELECT COUNT(*) FROM zones"));
        }
    }

    [Fact]
    public void Connections_use_wal_and_full_synchronous()
    {
        using var directory = new TempDirectory();
        var factory = new SqliteConnectionFactory(directory.File("x.db"));
        using var connection = factory.OpenWriter();
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(2L, Convert.ToInt64(Pragma(connection, "synchronous"), System.Globalization.CultureInfo.InvariantCulture));
        SqliteConnection.ClearAllPools();
    }

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
    [Fact]
    public async Task In_memory_changes_follow_the_commit_and_are_undone_with_a_unit_or_a_savepoint_that_fails()
    {
        await using var store = new StoreFixture();
        var seen = new List<string>();
        var writer = (Telecare.Core.Store.IStoreWriter)store.Writer;

        // A unit that throws has its in-memory change undone and its "after commit" forgotten; the batch goes on.
        var failing = writer.ExecuteSelfContainedAsync<bool>(unit =>
        {
            seen.Add("staged a");
            unit.OnRolledBack(() => seen.Add("undone a"));
            unit.OnCommitted(() => seen.Add("committed a"));
            throw new InvalidOperationException("the unit's own mistake");
        });
        // A savepoint that throws inside a unit undoes its rows and its own registrations, not the unit's.
        var kept = writer.ExecuteAsync(unit =>
        {
            unit.OnCommitted(() => seen.Add("committed b"));
            var error = unit.TrySavepoint(() =>
            {
                ((WriteContext)unit).Statement("INSERT INTO zones (name, created_at) VALUES ('inner', 0)").Execute();
                unit.OnRolledBack(() => seen.Add("undone inner"));
                unit.OnCommitted(() => seen.Add("committed inner"));
                throw new InvalidOperationException("the savepoint's mistake");
            });
            ((WriteContext)unit).Statement("INSERT INTO zones (name, created_at) VALUES ('outer', 0)").Execute();
            return error?.Message;
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the savepoint's mistake", await kept);
        Assert.Equal(["staged a", "undone a", "undone inner", "committed b"], seen);
        Assert.Equal(1, store.Scalar("SELECT COUNT(*) FROM zones WHERE name = 'outer'"));
        Assert.Equal(0, store.Scalar("SELECT COUNT(*) FROM zones WHERE name = 'inner'"));
    }
}
