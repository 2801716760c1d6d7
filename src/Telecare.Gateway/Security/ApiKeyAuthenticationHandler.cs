using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Security;

/// <summary>Authenticates the X-Api-Key header against the hashed keys in the store (remembered once verified: <see cref="ApiKeyCache"/>).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SqliteConnectionFactory store,
    ApiKeyCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Policies.ApiKeyHeader, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = values[0]!;
        if (!Secrets.TryGetApiKeyPrefix(key, out var prefix))
        {
            return Task.FromResult(AuthenticateResult.Fail("malformed API key"));
        }

        var hash = Secrets.Hash(key);
        if (!cache.TryGet(hash, out var known))
        {
            var generation = cache.Generation;
            if (Find(prefix, key) is not { } found)
            {
                return Task.FromResult(AuthenticateResult.Fail("unknown or revoked API key"));
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
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private KnownApiKey? Find(string prefix, string key)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, key_hash FROM api_keys WHERE key_prefix = $prefix AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$prefix", prefix);
        using var reader = command.ExecuteReader();
        return reader.Read() && Secrets.Verify(key, reader.GetString(3)) ? new KnownApiKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : null;
    }
}
