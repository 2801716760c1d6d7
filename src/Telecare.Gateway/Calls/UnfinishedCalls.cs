using Telecare.Core.Calls;
using Telecare.Core.Store;

namespace Telecare.Gateway.Calls;

/// <summary>
/// The calls not closed or cancelled, in memory, indexed by resident and by device: triage asks for a resident's open
/// call with every signal, and that must cost the same with ten calls on the queue or ten thousand. Every change is
/// made by a unit in the store's writer: it is staged there (seen by the later units of the same batch) and becomes
/// the calls everyone else sees when the batch commits, or is forgotten when it does not.
/// </summary>
public sealed class UnfinishedCalls
{
    // The writer's current batch's changes, not committed yet: only the writer's thread touches these.
    private readonly Dictionary<long, Call> _staged = [];

    private static readonly HashSet<long> NoCalls = [];

    private readonly Lock _sync = new();
    private readonly Dictionary<long, Call> _calls = [];
    private readonly Dictionary<string, HashSet<long>> _byResident = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<long>> _byDevice = new(StringComparer.Ordinal);

    public void Reset(IEnumerable<Call> calls)
    {
        lock (_sync)
        {
            _calls.Clear();
            _byResident.Clear();
            _byDevice.Clear();
            foreach (var call in calls)
            {
                RememberLocked(call);
            }
        }
    }

    /// <summary>Keeps the call as it now stands, or lets it go once it is closed or cancelled.</summary>
    public void Remember(Call call)
    {
        lock (_sync)
        {
            RememberLocked(call);
        }
    }

    public Call? Get(long callId)
    {
        lock (_sync)
        {
            return _calls.GetValueOrDefault(callId);
        }
    }

    /// <summary>The call as the writer's batch has left it so far (writer's thread only).</summary>
    public Call? GetStaged(long callId) => _staged.TryGetValue(callId, out var call) ? call : Get(callId);

    /// <summary><see cref="FindOpen"/> as the writer's batch has left the calls so far (writer's thread only).</summary>
    public Call? FindOpenStaged(string? residentId, string? deviceRef, Func<Call, bool> match) => FindOpen(residentId, deviceRef, match, _staged);

    /// <summary>Stages a changed call in the writer's unit: everyone sees it once the batch commits; nobody if it does not.</summary>
    public void Stage(IStoreUnit context, Call call)
    {
        var had = _staged.Remove(call.Id, out var previous);
        _staged[call.Id] = call;
        context.OnRolledBack(() =>
        {
            if (had)
            {
                _staged[call.Id] = previous!;
            }
            else
            {
                _staged.Remove(call.Id);
            }
        });
        context.OnCommitted(() =>
        {
            Remember(call);
            if (_staged.TryGetValue(call.Id, out var latest) && ReferenceEquals(latest, call))
            {
                _staged.Remove(call.Id);
            }
        });
    }

    /// <summary>Every unfinished call, by priority then age (the queue's order).</summary>
    public IReadOnlyList<Call> Ordered()
    {
        lock (_sync)
        {
            return [.. _calls.Values.OrderBy(c => c.Priority).ThenBy(c => c.RaisedAt)];
        }
    }

    /// <summary>
    /// The oldest open call of the resident (or, with no resident, of the device) that matches, as the calls stand after
    /// <paramref name="changed"/> (a triage batch's own changes, not remembered yet).
    /// </summary>
    public Call? FindOpen(string? residentId, string? deviceRef, Func<Call, bool> match, IReadOnlyDictionary<long, Call>? changed = null)
    {
        Call? oldest = null;
        void Consider(Call call)
        {
            if (call.IsOpen && match(call) && (oldest is null || call.RaisedAt < oldest.RaisedAt))
            {
                oldest = call;
            }
        }

        lock (_sync)
        {
            var index = residentId is not null ? _byResident.GetValueOrDefault(residentId) : deviceRef is not null ? _byDevice.GetValueOrDefault(deviceRef) : null;
            foreach (var id in index ?? NoCalls)
            {
                if (changed?.ContainsKey(id) != true)
                {
                    Consider(_calls[id]);
                }
            }
        }

        // The batch's calls are not in the indexes yet: the same key decides.
        foreach (var call in changed?.Values ?? [])
        {
            if (residentId is not null ? call.ResidentId == residentId : deviceRef is not null && call.DeviceRef == deviceRef)
            {
                Consider(call);
            }
        }

        return oldest;
    }

    private void RememberLocked(Call call)
    {
        var open = call.State is not (CallState.Closed or CallState.Cancelled);
        _calls.TryGetValue(call.Id, out var previous);
        // A call that keeps its resident and device keeps its index entries: no set is dropped and made again.
        if (previous is not null && (!open || previous.ResidentId != call.ResidentId))
        {
            Unindex(_byResident, previous.ResidentId, call.Id);
        }

        if (previous is not null && (!open || previous.DeviceRef != call.DeviceRef))
        {
            Unindex(_byDevice, previous.DeviceRef, call.Id);
        }

        if (!open)
        {
            _calls.Remove(call.Id);
            return;
        }

        _calls[call.Id] = call;
        if (previous is null || previous.ResidentId != call.ResidentId)
        {
            Index(_byResident, call.ResidentId, call.Id);
        }

        if (previous is null || previous.DeviceRef != call.DeviceRef)
        {
            Index(_byDevice, call.DeviceRef, call.Id);
        }
    }

    private static void Index(Dictionary<string, HashSet<long>> index, string? key, long callId)
    {
        if (key is null)
        {
            return;
        }

        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = [];
        }

        ids.Add(callId);
    }

    private static void Unindex(Dictionary<string, HashSet<long>> index, string? key, long callId)
    {
        if (key is not null && index.TryGetValue(key, out var ids) && ids.Remove(callId) && ids.Count == 0)
        {
            index.Remove(key);
        }
    }
}
