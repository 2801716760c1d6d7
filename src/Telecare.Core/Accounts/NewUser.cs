namespace Telecare.Core.Accounts;

/// <summary>A user to create; the password arrives hashed.</summary>
public sealed record NewUser(string Username, string DisplayName, string Role, string PasswordHash);
