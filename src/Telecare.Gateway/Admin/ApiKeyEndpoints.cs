using System.ComponentModel.DataAnnotations;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

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
        keys.MapGet("/", (SqliteConnectionFactory store) => TypedResults.Ok(Read(store, null)));
        keys.MapPost("/", async (HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ApiKeyRequest>(http);
            if (error is not null)
            {
                return error;
            }

            var key = Secrets.NewApiKey();
            Secrets.TryGetApiKeyPrefix(key, out var prefix);
            var id = await writer.ExecuteAsync(context =>
            {
                using var command = context.Command("""
                    INSERT INTO api_keys (name, key_prefix, key_hash, role, created_at) VALUES ($name, $prefix, $hash, $role, $now) RETURNING id
                    """);
                command.Parameters.AddWithValue("$name", body!.Name!);
                command.Parameters.AddWithValue("$prefix", prefix);
                command.Parameters.AddWithValue("$hash", Secrets.Hash(key));
                command.Parameters.AddWithValue("$role", body.Role!);
                command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
                var created = (long)command.ExecuteScalar()!;
                Audit.Write(context, time.GetUtcNow(), http.User, "api-key.create", $"api-key/{created}", body.Role);
                return created;
            });
            return TypedResults.Created($"/api/v1/api-keys/{id}", new CreatedApiKey(Read(store, id).Single(), key));
        });
        keys.MapPost("/{id:long}/revoke", async (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, ApiKeyCache cache, TimeProvider time) =>
        {
            var found = await writer.ExecuteAsync(context =>
            {
                using var command = context.Command("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $now) WHERE id = $id RETURNING id");
                command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$id", id);
                if (command.ExecuteScalar() is null)
                {
                    return false;
                }

                Audit.Write(context, time.GetUtcNow(), http.User, "api-key.revoke", $"api-key/{id}");
                return true;
            });
            // Refused from the next request on: the verified keys are forgotten once the revoke has committed.
            cache.ForgetAll();
            return found ? Results.Ok(Read(store, id).Single()) : JsonBody.NotFound($"API key {id}");
        });
    }

    private static List<ApiKeyView> Read(SqliteConnectionFactory store, long? id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys WHERE $id IS NULL OR id = $id ORDER BY id", ("$id", id));
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKeyView>();
        while (reader.Read())
        {
            keys.Add(new ApiKeyView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.Time(4)!.Value, reader.Time(5)));
        }

        return keys;
    }
}
