using System.Collections.Concurrent;

namespace Telecare.Gateway.Security;

/// <summary>
/// API keys already verified against the store, by the SHA-256 of the whole key (what the store keeps), so a system
/// posting alarms costs one hash per request instead of a query. Only keys that passed are kept, so the cache holds
/// no more entries than there are keys. Revoking a key forgets them all; a lookup that raced the revoke is not kept
/// (the generation changed while it read the store).
/// </summary>
public sealed class ApiKeyCache
{
    private readonly ConcurrentDictionary<string, KnownApiKey> _verified = new(StringComparer.Ordinal);
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string keyHash, out KnownApiKey key) => _verified.TryGetValue(keyHash, out key!);

    /// <param name="generation">The <see cref="Generation"/> read before the store was asked.</param>
    public void Remember(string keyHash, KnownApiKey key, long generation)
    {
        _verified[keyHash] = key;
        if (Generation != generation)
        {
            // A revoke happened while the store was read: the answer may be stale.
            _verified.TryRemove(keyHash, out _);
        }
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _verified.Clear();
    }
}

/// <summary>What a verified API key signs in as.</summary>
public sealed record KnownApiKey(long Id, string Name, string Role);
