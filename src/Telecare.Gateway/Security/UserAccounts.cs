using Microsoft.AspNetCore.Identity;
using Telecare.Core.Accounts;
using Telecare.Core.Registry;

namespace Telecare.Gateway.Security;

/// <summary>
/// Users with a role and a password (ASP.NET Core PasswordHasher): passwords are hashed here, before they reach the
/// store, and checked here. Used by the API, sign-in, bootstrap and demo seeding.
/// </summary>
public sealed class UserAccounts(IUserStore store)
{
    private static readonly PasswordHasher<string> Hasher = new();

    public sealed record User(long Id, string Username, string DisplayName, string Role, bool Disabled, long? ResponderId);

    /// <summary>A user to store, its password hashed.</summary>
    public static NewUser NewUser(string username, string displayName, string role, string password) =>
        new(username, displayName, role, Hasher.HashPassword(username, password));

    /// <summary>Creates a user: <see cref="SaveOutcome.Duplicate"/> on a taken username. A null <paramref name="actor"/> writes no audit row.</summary>
    public ValueTask<SaveResult<UserAccount>> CreateAsync(string username, string displayName, string role, string password, string? actor = null) =>
        store.CreateAsync(NewUser(username, displayName, role, password), actor);

    /// <summary>The user when the password is right and the account enabled; otherwise null.</summary>
    public async ValueTask<User?> VerifyAsync(string username, string password)
    {
        if (await store.FindCredentialsAsync(username) is not { } found)
        {
            // Same work as a real check, so timing does not reveal which usernames exist.
            Hasher.VerifyHashedPassword(username, Hasher.HashPassword(username, "x"), password);
            return null;
        }

        var result = Hasher.VerifyHashedPassword(found.Username, found.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || found.Disabled)
        {
            return null;
        }

        return new User(found.Id, found.Username, found.DisplayName, found.Role, false, found.ResponderId);
    }

    /// <summary>True while the account exists, is enabled and still has <paramref name="role"/>.</summary>
    public ValueTask<bool> IsActiveWithRoleAsync(string username, string? role) => store.IsActiveWithRoleAsync(username, role ?? "");

    public ValueTask<bool> AnyWithRoleAsync(string role) => store.AnyWithRoleAsync(role);
}
