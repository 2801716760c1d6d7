using Microsoft.Data.Sqlite;
using Telecare.Core.Accounts;
using Telecare.Core.Audit;
using Telecare.Core.Registry;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Store.Accounts;

internal sealed class SqliteUserStore(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) : IUserStore
{
    public ValueTask<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<UserAccount>>(Read(null));

    public ValueTask<UserAccount?> GetAsync(long id, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(id).FirstOrDefault());

    public async ValueTask<SaveResult<UserAccount>> CreateAsync(NewUser user, string? actor, CancellationToken cancellationToken = default)
    {
        try
        {
            var id = await writer.ExecuteAsync(context =>
            {
                var created = Insert(context, user, time.GetUtcNow().ToUnixTimeMilliseconds());
                if (actor is not null)
                {
                    AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.UserCreate, $"user/{created}", user.Role);
                }

                return created;
            }, cancellationToken);
            return SaveResult<UserAccount>.Saved(Read(id).Single());
        }
        catch (SqliteException ex) when (SqliteErrors.IsUniqueViolation(ex))
        {
            return SaveResult<UserAccount>.Failed(SaveOutcome.Duplicate);
        }
    }

    public async ValueTask<UserAccount?> DisableAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        var found = await writer.ExecuteAsync(context =>
        {
            using var command = context.Command("UPDATE users SET disabled = 1 WHERE id = $id RETURNING id", ("$id", id));
            if (command.ExecuteScalar() is null)
            {
                return false;
            }

            AuditTrail.Append(context, time.GetUtcNow(), actor, AuditActions.UserDisable, $"user/{id}");
            return true;
        }, cancellationToken);
        return found ? Read(id).Single() : null;
    }

    public ValueTask<UserCredentials?> FindCredentialsAsync(string username, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command("""
            SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.password_hash, r.id
            FROM users u LEFT JOIN responders r ON r.user_id = u.id
            WHERE u.username = $username
            """, ("$username", username));
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read()
            ? new UserCredentials(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0,
                reader.GetString(5), reader.GetInt64OrNull(6))
            : null);
    }

    public ValueTask<bool> IsActiveWithRoleAsync(string username, string role, CancellationToken cancellationToken = default) =>
        Exists("SELECT EXISTS (SELECT 1 FROM users WHERE username = $username AND role = $role AND disabled = 0)", ("$username", username), ("$role", role));

    public ValueTask<bool> AnyWithRoleAsync(string role, CancellationToken cancellationToken = default) =>
        Exists("SELECT EXISTS (SELECT 1 FROM users WHERE role = $role)", ("$role", role));

    public ValueTask<bool> ExistsAsync(string username, CancellationToken cancellationToken = default) =>
        Exists("SELECT EXISTS (SELECT 1 FROM users WHERE username = $username)", ("$username", username));

    /// <summary>Inserts a user inside the caller's unit (also the registry import's); returns its id.</summary>
    internal static long Insert(WriteContext context, NewUser user, long now)
    {
        using var command = context.Command("""
            INSERT INTO users (username, display_name, role, password_hash, created_at)
            VALUES ($username, $display, $role, $hash, $now) RETURNING id
            """, ("$username", user.Username), ("$display", user.DisplayName), ("$role", user.Role), ("$hash", user.PasswordHash), ("$now", now));
        return (long)command.ExecuteScalar()!;
    }

    private ValueTask<bool> Exists(string sql, params (string, object?)[] parameters)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(sql, parameters);
        return ValueTask.FromResult((long)command.ExecuteScalar()! == 1);
    }

    private List<UserAccount> Read(long? id)
    {
        using var connection = store.OpenReader();
        using var command = connection.Command(
            "SELECT id, username, display_name, role, disabled, created_at FROM users WHERE $id IS NULL OR id = $id ORDER BY username", ("$id", id));
        using var reader = command.ExecuteReader();
        var users = new List<UserAccount>();
        while (reader.Read())
        {
            users.Add(new UserAccount(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFlag(4), reader.GetTime(5)));
        }

        return users;
    }
}
