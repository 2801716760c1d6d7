using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Security;

/// <summary>Users with a role and a password (ASP.NET Core PasswordHasher). Used by the API, bootstrap and demo seeding.</summary>
public sealed class UserAccounts(StoreWriter writer, SqliteConnectionFactory store, TimeProvider time)
{
    private static readonly PasswordHasher<string> Hasher = new();

    public sealed record User(long Id, string Username, string DisplayName, string Role, bool Disabled, long? ResponderId);

    /// <summary>Inserts a user inside the caller's unit of work; throws <see cref="SqliteException"/> on a taken username.</summary>
    public long Insert(WriteContext context, string username, string displayName, string role, string password)
    {
        using var command = context.Command("""
            INSERT INTO users (username, display_name, role, password_hash, created_at)
            VALUES ($username, $display, $role, $hash, $now) RETURNING id
            """);
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$display", displayName);
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$hash", Hasher.HashPassword(username, password));
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        return (long)command.ExecuteScalar()!;
    }

    public Task<long> CreateAsync(string username, string displayName, string role, string password) =>
        writer.ExecuteAsync(context => Insert(context, username, displayName, role, password));

    /// <summary>The user when the password is right and the account enabled; otherwise null.</summary>
    public User? Verify(string username, string password)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.password_hash, r.id
            FROM users u LEFT JOIN responders r ON r.user_id = u.id
            WHERE u.username = $username
            """;
        command.Parameters.AddWithValue("$username", username);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            // Same work as a real check, so timing does not reveal which usernames exist.
            Hasher.VerifyHashedPassword(username, Hasher.HashPassword(username, "x"), password);
            return null;
        }

        var result = Hasher.VerifyHashedPassword(reader.GetString(1), reader.GetString(5), password);
        if (result == PasswordVerificationResult.Failed || reader.GetInt64(4) != 0)
        {
            return null;
        }

        return new User(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), false,
            reader.IsDBNull(6) ? null : reader.GetInt64(6));
    }

    /// <summary>True while the account exists, is enabled and still has <paramref name="role"/>.</summary>
    public bool IsActiveWithRole(string username, string? role)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE username = $username AND role = $role AND disabled = 0)";
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$role", role ?? "");
        return (long)command.ExecuteScalar()! == 1;
    }

    public bool AnyWithRole(string role)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE role = $role)";
        command.Parameters.AddWithValue("$role", role);
        return (long)command.ExecuteScalar()! == 1;
    }
}
