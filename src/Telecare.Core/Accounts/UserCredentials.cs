namespace Telecare.Core.Accounts;

/// <summary>What a sign-in is checked against, with the responder record the login is linked to (if any).</summary>
public sealed record UserCredentials(long Id, string Username, string DisplayName, string Role, bool Disabled, string PasswordHash, long? ResponderId);
