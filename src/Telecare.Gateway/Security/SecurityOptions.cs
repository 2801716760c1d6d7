using System.ComponentModel.DataAnnotations;

namespace Telecare.Gateway.Security;

/// <summary>Section "Security".</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Login attempts allowed per client address in each window.</summary>
    [Range(1, 10_000)]
    public int LoginPermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int LoginWindowSeconds { get; set; } = 60;

    /// <summary>Hours a sign-in cookie lasts (a night shift and a bit).</summary>
    [Range(1, 168)]
    public int CookieHours { get; set; } = 14;

    public sealed class BootstrapOptions
    {
        /// <summary>The first admin's name; created at first start if no admin exists.</summary>
        public string AdminUsername { get; set; } = "admin";

        /// <summary>Its password. Empty: one is generated and written to data/admin-password.txt (mode 0600).</summary>
        public string? AdminPassword { get; set; }

        /// <summary>API keys created at start if absent (integrations, tests). The key itself is stored hashed.</summary>
        public List<BootstrapApiKey> ApiKeys { get; set; } = [];
    }

    public sealed class BootstrapApiKey
    {
        public string Name { get; set; } = "";

        public string Role { get; set; } = "";

        public string Key { get; set; } = "";
    }
}
