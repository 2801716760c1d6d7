using Telecare.Gateway.Security;

namespace Telecare.Gateway.Tests.Security;

/// <summary>Verified API keys are remembered, forgotten on a revoke, and a lookup that raced a revoke is not kept.</summary>
public sealed class ApiKeyCacheTests
{
    private static readonly KnownApiKey Key = new(1, "care-system", "installer");

    [Fact]
    public void A_verified_key_is_remembered_until_a_revoke_forgets_every_key()
    {
        var cache = new ApiKeyCache();
        cache.Remember("hash-1", Key, cache.Generation);
        Assert.True(cache.TryGet("hash-1", out var known));
        Assert.Equal(Key, known);

        cache.ForgetAll();
        Assert.False(cache.TryGet("hash-1", out _));
    }

    [Fact]
    public void A_lookup_that_read_the_store_before_a_revoke_is_not_remembered()
    {
        var cache = new ApiKeyCache();
        var before = cache.Generation;
        cache.ForgetAll();
        cache.Remember("hash-1", Key, before);
        Assert.False(cache.TryGet("hash-1", out _));
    }
}
