namespace Telecare.Core.Calls;

/// <summary>
/// Port: durable call state, implemented by the gateway's store (SQLite now, PostgreSQL later). Timeline
/// entries are append-only. Saves are optimistic: a transition is written only if the stored call is
/// still at <c>updated.Version - 1</c>, which is how exactly one of two simultaneous claims wins.
/// </summary>
public interface ICallStore
{
    /// <summary>Every call that is not resolved, closed or cancelled: the consoles' snapshot and the timers' state after a restart.</summary>
    ValueTask<IReadOnlyList<Call>> LoadOpenCallsAsync(CancellationToken cancellationToken = default);

    ValueTask<Call?> GetAsync(long callId, CancellationToken cancellationToken = default);

    /// <summary>The resident's open call, if any (for AttachToOpenCall / CancelPending and for triage's CallOpenForResident).</summary>
    ValueTask<Call?> FindOpenCallForResidentAsync(string residentId, CancellationToken cancellationToken = default);

    /// <summary>Saves a new call (Version 1, one Raise entry) and returns it with its assigned id.</summary>
    ValueTask<Call> CreateAsync(Call call, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a call changed by <see cref="CallTransitions.TryApply"/> with the entry it appended, atomically.
    /// Returns false, writing nothing, when someone else changed the call first (the caller reloads and retries or reports a conflict).
    /// </summary>
    ValueTask<bool> TrySaveTransitionAsync(Call updated, CallTimelineEntry entry, CancellationToken cancellationToken = default);
}
