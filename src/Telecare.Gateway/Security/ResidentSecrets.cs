using Microsoft.AspNetCore.DataProtection;

namespace Telecare.Gateway.Security;

/// <summary>Protects medical notes and access details (key-safe codes) at rest with ASP.NET Core Data Protection.</summary>
public sealed class ResidentSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Telecare.Residents.v1");

    public string? Protect(string? plain) => string.IsNullOrEmpty(plain) ? null : _protector.Protect(plain);

    public string? Unprotect(string? protectedText) => string.IsNullOrEmpty(protectedText) ? null : _protector.Unprotect(protectedText);
}
