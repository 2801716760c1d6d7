using Telecare.Core.Calls;
using Telecare.Core.Store;

namespace Telecare.Gateway.Store;

/// <summary>Core's call store over SQLite: the rows are <see cref="CallRecords"/>'s, written in the writer's unit.</summary>
public sealed class SqliteCallStore : ICallStore
{
    public IReadOnlyList<Call> LoadUnfinished(IStoreUnit unit) => CallRecords.LoadUnfinished((WriteContext)unit);

    public long Insert(IStoreUnit unit, Call call, long? zoneId) => CallRecords.Insert((WriteContext)unit, call, zoneId);

    public bool TryUpdate(IStoreUnit unit, Call updated, CallTimelineEntry entry) => CallRecords.TryUpdate((WriteContext)unit, updated, entry);
}
