namespace Telecare.Core.Accounts;

/// <summary>A user as the admin API shows it; the password hash is not part of it.</summary>
public sealed record UserAccount(long Id, string Username, string DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt);
