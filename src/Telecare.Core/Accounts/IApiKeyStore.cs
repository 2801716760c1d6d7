namespace Telecare.Core.Accounts;

/// <summary>Port: API keys for systems and installers.</summary>
public interface IApiKeyStore
{
    /// <summary>All keys, revoked ones too, by id.</summary>
    ValueTask<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new key, audited as <paramref name="actor"/>.</summary>
    ValueTask<ApiKey> CreateAsync(NewApiKey key, string actor, CancellationToken cancellationToken = default);

    /// <summary>Stores a configured key unless one with its prefix exists (start-up bootstrap, not audited).</summary>
    ValueTask EnsureAsync(NewApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Revokes the key (audited; revoking again keeps the first time); null when there is no such key.</summary>
    ValueTask<ApiKey?> RevokeAsync(long id, string actor, CancellationToken cancellationToken = default);

    /// <summary>The unrevoked key with <paramref name="prefix"/>, or null.</summary>
    ValueTask<ApiKeyCredentials?> FindActiveAsync(string prefix, CancellationToken cancellationToken = default);
}
