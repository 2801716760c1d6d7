using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telecare.Core.ReadModels;
using Telecare.Core.Store;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.ReadModels;
using Telecare.Gateway.Store.ReadModels;

namespace Telecare.Gateway.Store;

public static class StoreServiceExtensions
{
    /// <summary>The SQLite store: one migrated file, one group-commit writer, readers on their own connections, backups.</summary>
    public static IHostApplicationBuilder AddTelecareStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<StoreOptions>(StoreOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreMetrics>();
        services.AddSqliteStores();

        // Migrating inside the factory's construction means nothing can touch the file before its schema is current.
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StoreOptions>>().Value;
            var paths = provider.GetService<TelecarePaths>();
            var path = paths?.Resolve(options.Path) ?? Path.GetFullPath(options.Path);
            var factory = new SqliteConnectionFactory(path);
            using var connection = factory.OpenWriter();
            var from = Migrations.Apply(connection);
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Telecare.Store")
                .LogInformation("Store {Path} at schema version {Version} (was {From})", path, Migrations.LatestVersion, from);
            return factory;
        });
        // The registry read model follows every commit of the writer, whoever wrote the rows.
        services.TryAddSingleton<IRegistryReadModel, RegistryReadModel>();
        services.TryAddSingleton<RegistryChangeTracker>();
        services.TryAddSingleton<IStoreWriter>(provider => provider.GetRequiredService<StoreWriter>());
        services.TryAddSingleton(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<StoreWriter>();
            return new StoreWriter(
                provider.GetRequiredService<SqliteConnectionFactory>(),
                provider.GetRequiredService<IOptions<StoreOptions>>().Value,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<StoreMetrics>(),
                [provider.GetRequiredService<RegistryChangeTracker>()],
                error => logger.LogError(error, "An in-memory change after a commit failed; the store holds the truth and a restart reloads it"));
        });
        services.AddSingleton<BackupService>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupService>());
        return builder;
    }
}
