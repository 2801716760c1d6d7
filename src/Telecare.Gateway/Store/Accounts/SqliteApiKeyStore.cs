using Telecare.Core.Accounts;
using Telecare.Core.Audit;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Accounts;

internal sealed class SqliteApiKeyStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IApiKeyStore
{
    public ValueTask<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<ApiKey>>(Read(null));

    public async ValueTask<ApiKey> CreateAsync(NewApiKey key, string actor, CancellationToken cancellationToken = default)
    {
        var id = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("""
                INSERT INTO api_keys (name, key_prefix, key_hash, role, created_at) VALUES ($name, $prefix, $hash, $role, $now) RETURNING id
                """, Parameters(key));
            var created = (long)command.ExecuteScalar()!;
            AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.ApiKeyCreate, $"api-key/{created}", key.Role);
            return created;
        }, cancellationToken);
        return Read(id).Single();
    }

    public async ValueTask EnsureAsync(NewApiKey key, CancellationToken cancellationToken = default) =>
        await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("""
                INSERT INTO api_keys (name, key_prefix, key_hash, role, created_at)
                VALUES ($name, $prefix, $hash, $role, $now) ON CONFLICT (key_prefix) DO NOTHING
                """, Parameters(key));
            command.ExecuteNonQuery();
        }, cancellationToken);

    public async ValueTask<ApiKey?> RevokeAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        var found = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $now) WHERE id = $id RETURNING id",
                ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$id", id));
            if (command.ExecuteScalar() is null)
            {
                return false;
            }

            AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.ApiKeyRevoke, $"api-key/{id}");
            return true;
        }, cancellationToken);
        return found ? Read(id).Single() : null;
    }

    public ValueTask<ApiKeyCredentials?> FindActiveAsync(string prefix, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("SELECT id, name, role, key_hash FROM api_keys WHERE key_prefix = $prefix AND revoked_at IS NULL", ("$prefix", prefix));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? new ApiKeyCredentials(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null);
    }

    private (string, object?)[] Parameters(NewApiKey key) =>
        [("$name", key.Name), ("$prefix", key.Prefix), ("$hash", key.KeyHash), ("$role", key.Role), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds())];

    private List<ApiKey> Read(long? id)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            "SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys WHERE $id IS NULL OR id = $id ORDER BY id", ("$id", id));
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKey>();
        while (reader.Read())
        {
            keys.Add(new ApiKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetTime(4), reader.GetTimeOrNull(5)));
        }

        return keys;
    }
}
