using Telecare.Core.Calls;

namespace Telecare.Gateway.Calls;

/// <summary>
/// The calls not closed or cancelled, in memory, indexed by resident and by device: triage asks for a resident's open
/// call with every signal, and that must cost the same with ten calls on the queue or ten thousand.
/// </summary>
public sealed class UnfinishedCalls
{
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
            foreach (var id in index ?? [])
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
        if (_calls.Remove(call.Id, out var previous))
        {
            Unindex(_byResident, previous.ResidentId, call.Id);
            Unindex(_byDevice, previous.DeviceRef, call.Id);
        }

        if (call.State is CallState.Closed or CallState.Cancelled)
        {
            return;
        }

        _calls[call.Id] = call;
        Index(_byResident, call.ResidentId, call.Id);
        Index(_byDevice, call.DeviceRef, call.Id);
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
