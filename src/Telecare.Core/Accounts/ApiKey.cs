namespace Telecare.Core.Accounts;

/// <summary>An API key as the admin API shows it: its prefix identifies it, the key itself is never kept.</summary>
public sealed record ApiKey(long Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
