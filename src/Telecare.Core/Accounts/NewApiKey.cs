namespace Telecare.Core.Accounts;

/// <summary>An API key to store: the prefix finds it, the hash of the whole key verifies it.</summary>
public sealed record NewApiKey(string Name, string Prefix, string KeyHash, string Role);
