using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Telecare.Core.Accounts;

namespace Telecare.Gateway.Security;

/// <summary>Authenticates the X-Api-Key header against the hashed keys in the store (remembered once verified: <see cref="ApiKeyCache"/>).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyStore store,
    ApiKeyCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Policies.ApiKeyHeader, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values[0]!;
        if (!Secrets.TryGetApiKeyPrefix(key, out var prefix))
        {
            return AuthenticateResult.Fail("malformed API key");
        }

        var hash = Secrets.Hash(key);
        if (!cache.TryGet(hash, out var known))
        {
            var generation = cache.Generation;
            if (await FindAsync(prefix, key) is not { } found)
            {
                return AuthenticateResult.Fail("unknown or revoked API key");
            }

            cache.Remember(hash, found, generation);
            known = found;
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, "key:" + known.Name),
                new Claim(ClaimTypes.Role, known.Role),
                new Claim("api_key_id", known.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async ValueTask<KnownApiKey?> FindAsync(string prefix, string key) =>
        await store.FindActiveAsync(prefix) is { } stored && Secrets.Verify(key, stored.KeyHash)
            ? new KnownApiKey(stored.Id, stored.Name, stored.Role)
            : null;
}
