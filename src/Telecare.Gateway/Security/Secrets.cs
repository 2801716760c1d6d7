using System.Security.Cryptography;
using System.Text;

namespace Telecare.Gateway.Security;

/// <summary>
/// Device secrets and API keys: random, shown once, stored as SHA-256 (they are long random strings, so a fast hash
/// is enough; passwords use PasswordHasher). Comparisons are constant-time.
/// </summary>
public static class Secrets
{
    public const string ApiKeyPrefix = "tgk_";

    public static string NewSecret(int bytes = 24) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(ReadOnlySpan<byte> secret) => Convert.ToHexStringLower(SHA256.HashData(secret));

    public static string Hash(string secret) => Hash(Encoding.UTF8.GetBytes(secret));

    public static bool Verify(ReadOnlySpan<byte> secret, string? storedHash)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return false;
        }

        var computed = Encoding.ASCII.GetBytes(Hash(secret));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(storedHash));
    }

    public static bool Verify(string secret, string? storedHash) => Verify(Encoding.UTF8.GetBytes(secret), storedHash);

    /// <summary>A new API key <c>tgk_{prefix}_{secret}</c>; the prefix finds the row, the whole key is hashed.</summary>
    public static string NewApiKey() => $"{ApiKeyPrefix}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}_{NewSecret(24)}";

    public static bool TryGetApiKeyPrefix(string key, out string prefix)
    {
        prefix = "";
        if (!key.StartsWith(ApiKeyPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return false;
        }

        var rest = key.AsSpan(ApiKeyPrefix.Length);
        var underscore = rest.IndexOf('_');
        if (underscore <= 0 || underscore == rest.Length - 1)
        {
            return false;
        }

        prefix = rest[..underscore].ToString();
        return true;
    }
}
