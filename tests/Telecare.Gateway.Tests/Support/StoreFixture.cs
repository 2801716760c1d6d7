using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Tests.Support;

/// <summary>A migrated SQLite file in a temp folder, with its writer.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreFixture(StoreOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new StoreOptions();
        Factory = new SqliteConnectionFactory(_directory.File("telecare.db"));
        using (var connection = Factory.OpenWriter())
        {
            Migrations.Apply(connection);
        }

        Meters = new TestMeterFactory();
        Metrics = new StoreMetrics(Meters);
        Writer = new StoreWriter(Factory, Options, time ?? TimeProvider.System, Metrics);
    }

    public StoreOptions Options { get; }

    public SqliteConnectionFactory Factory { get; }

    public StoreWriter Writer { get; }

    public StoreMetrics Metrics { get; }

    public TestMeterFactory Meters { get; }

    public long Scalar(string sql)
    {
        using var connection = Factory.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Meters.Dispose();
        _directory.Dispose();
    }
}

public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
