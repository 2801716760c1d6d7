using Telecare.Core.Registry;

namespace Telecare.Core.Accounts;

/// <summary>Port: users. Usernames are unique regardless of case.</summary>
public interface IUserStore
{
    /// <summary>All users by username.</summary>
    ValueTask<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default);

    ValueTask<UserAccount?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a user: <see cref="SaveOutcome.Duplicate"/> when the username is taken. Audited as <paramref name="actor"/>;
    /// null writes no audit row (the gateway's own bootstrap, where nobody acted).
    /// </summary>
    ValueTask<SaveResult<UserAccount>> CreateAsync(NewUser user, string? actor, CancellationToken cancellationToken = default);

    /// <summary>Disables the user (audited); null when there is no such user.</summary>
    ValueTask<UserAccount?> DisableAsync(long id, string actor, CancellationToken cancellationToken = default);

    /// <summary>The user's credentials for a sign-in, or null when there is no such username.</summary>
    ValueTask<UserCredentials?> FindCredentialsAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>True while the account exists, is enabled and still has <paramref name="role"/>.</summary>
    ValueTask<bool> IsActiveWithRoleAsync(string username, string role, CancellationToken cancellationToken = default);

    ValueTask<bool> AnyWithRoleAsync(string role, CancellationToken cancellationToken = default);

    ValueTask<bool> ExistsAsync(string username, CancellationToken cancellationToken = default);
}
