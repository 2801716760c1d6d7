using Microsoft.Extensions.DependencyInjection.Extensions;
using Telecare.Core.Accounts;
using Telecare.Core.Assignments;
using Telecare.Core.Calls;
using Telecare.Core.History;
using Telecare.Core.Registry;
using Telecare.Core.Reports;
using Telecare.Core.Signals;
using Telecare.Core.Timers;
using Telecare.Gateway.Store.Accounts;
using Telecare.Gateway.Store.Assignments;
using Telecare.Gateway.Store.History;
using Telecare.Gateway.Store.Registry;
using Telecare.Gateway.Store.Reports;
using Telecare.Gateway.Store.Timers;

namespace Telecare.Gateway.Store;

internal static class SqliteStoreExtensions
{
    /// <summary>The SQLite implementations of Core's store ports (they share the writer and the reader pool).</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ICallStore, SqliteCallStore>();
        services.TryAddSingleton<ISignalStore, SqliteSignalStore>();
        services.TryAddSingleton<IZoneStore, SqliteZoneStore>();
        services.TryAddSingleton<IResidentStore, SqliteResidentStore>();
        services.TryAddSingleton<IDeviceStore, SqliteDeviceStore>();
        services.TryAddSingleton<IResponderStore, SqliteResponderStore>();
        services.TryAddSingleton<IRegistryImport, SqliteRegistryImport>();
        services.TryAddSingleton<IUserStore, SqliteUserStore>();
        services.TryAddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.TryAddSingleton<IDeviceLinkStore, SqliteDeviceLinkStore>();
        services.TryAddSingleton<ICallHistory, SqliteCallHistory>();
        services.TryAddSingleton<IReportStore, SqliteReportStore>();
        services.TryAddSingleton<ITimerStore, SqliteTimerStore>();
        // One instance behind both faces: the reads, and the writes that join a call transition's unit.
        services.TryAddSingleton<SqliteAssignmentStore>();
        services.TryAddSingleton<IAssignmentStore>(provider => provider.GetRequiredService<SqliteAssignmentStore>());
        services.TryAddSingleton<IAssignmentWrites>(provider => provider.GetRequiredService<SqliteAssignmentStore>());
        return services;
    }
}
