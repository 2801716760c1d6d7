using System.ComponentModel.DataAnnotations;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

/// <summary>API keys for systems and installers (admin only): the key is shown once at creation and stored hashed.</summary>
public static class ApiKeyEndpoints
{
    public sealed class ApiKeyRequest : IValidatableObject
    {
        [Required]
        [StringLength(100, MinimumLength = 1)]
        public string? Name { get; set; }

        [Required]
        public string? Role { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Role is not null && !Roles.IsKnown(Role))
            {
                yield return new ValidationResult($"must be one of {string.Join(", ", Roles.All)}", [nameof(Role)]);
            }
        }
    }

    public sealed record ApiKeyView(long Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public sealed record CreatedApiKey(ApiKeyView ApiKey, string Key);

    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(Policies.Administer);
        keys.MapGet("/", async (IApiKeyStore store) => TypedResults.Ok((await store.ListAsync()).Select(View).ToList()));
        keys.MapPost("/", async (HttpContext http, IApiKeyStore store) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ApiKeyRequest>(http);
            if (error is not null)
            {
                return error;
            }

            var key = Secrets.NewApiKey();
            Secrets.TryGetApiKeyPrefix(key, out var prefix);
            var created = await store.CreateAsync(new NewApiKey(body!.Name!, prefix, Secrets.Hash(key), body.Role!), AuditActor.Of(http.User));
            return TypedResults.Created($"/api/v1/api-keys/{created.Id}", new CreatedApiKey(View(created), key));
        });
        keys.MapPost("/{id:long}/revoke", async (long id, HttpContext http, IApiKeyStore store, ApiKeyCache cache) =>
        {
            var revoked = await store.RevokeAsync(id, AuditActor.Of(http.User));
            // Refused from the next request on: the verified keys are forgotten once the revoke has committed.
            cache.ForgetAll();
            return revoked is not null ? Results.Ok(View(revoked)) : JsonBody.NotFound($"API key {id}");
        });
    }

    private static ApiKeyView View(ApiKey key) => new(key.Id, key.Name, key.Role, key.Prefix, key.CreatedAt, key.RevokedAt);
}
