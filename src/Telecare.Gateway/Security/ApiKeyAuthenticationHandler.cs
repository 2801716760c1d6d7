using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Security;

/// <summary>Authenticates the X-Api-Key header against the hashed keys in the store.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SqliteConnectionFactory store) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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

        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, key_hash FROM api_keys WHERE key_prefix = $prefix AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$prefix", prefix);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || !Secrets.Verify(key, reader.GetString(3)))
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown or revoked API key"));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, "key:" + reader.GetString(1)),
                new Claim(ClaimTypes.Role, reader.GetString(2)),
                new Claim("api_key_id", reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
