using Telecare.Core.Store;

namespace Telecare.Core.Calls;

/// <summary>
/// Port: durable call state, implemented by the gateway's store (SQLite now, PostgreSQL next). Every write runs inside
/// a unit of the store's writer, so a signal, its triage and the call it raised or changed are one commit. Timeline
/// entries are append-only. An update is optimistic: it is written only if the stored call is still at
/// <c>updated.Version - 1</c>.
/// </summary>
public interface ICallStore
{
    /// <summary>Every call that is not closed or cancelled, with its timeline: the open calls held in memory.</summary>
    IReadOnlyList<Call> LoadUnfinished(IStoreUnit unit);

    /// <summary>Saves a new call with its timeline and returns its id.</summary>
    long Insert(IStoreUnit unit, Call call, long? zoneId);

    /// <summary>Saves a transition and the entry it appended; false, writing nothing, when the stored version moved.</summary>
    bool TryUpdate(IStoreUnit unit, Call updated, CallTimelineEntry entry);
}
