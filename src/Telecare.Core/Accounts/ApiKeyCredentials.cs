namespace Telecare.Core.Accounts;

/// <summary>An unrevoked key's hash and what it signs in as.</summary>
public sealed record ApiKeyCredentials(long Id, string Name, string Role, string KeyHash);
