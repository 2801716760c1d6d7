using Microsoft.Extensions.DependencyInjection.Extensions;
using Telecare.Core.Accounts;
using Telecare.Core.Registry;
using Telecare.Gateway.Store.Accounts;
using Telecare.Gateway.Store.Registry;

namespace Telecare.Gateway.Store;

internal static class SqliteStoreExtensions
{
    /// <summary>The SQLite implementations of the registry and account ports (they share the writer and the reader pool).</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.TryAddSingleton<IZoneStore, SqliteZoneStore>();
        services.TryAddSingleton<IResidentStore, SqliteResidentStore>();
        services.TryAddSingleton<IDeviceStore, SqliteDeviceStore>();
        services.TryAddSingleton<IResponderStore, SqliteResponderStore>();
        services.TryAddSingleton<IRegistryImport, SqliteRegistryImport>();
        services.TryAddSingleton<IUserStore, SqliteUserStore>();
        services.TryAddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        return services;
    }
}
