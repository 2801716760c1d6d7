using System.Security.Claims;
using Telecare.Core.Registry;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

/// <summary>
/// A resident's key-safe code and access notes, revealed on request only. The read and its audit row are one unit in
/// the store, so there is no reveal without its record (API and dispatch console alike).
/// </summary>
public static class AccessDetails
{
    public readonly record struct Revealed(bool Found, string? Text);

    public static async Task<Revealed> RevealAsync(IResidentStore residents, ResidentSecrets secrets, ClaimsPrincipal actor, long residentId, string? via = null) =>
        Unprotect(await residents.RevealAccessDetailsAsync(residentId, AuditActor.Of(actor), via), secrets);

    private static Revealed Unprotect(RevealedAccessDetails revealed, ResidentSecrets secrets) =>
        new(revealed.Found, revealed.Found ? secrets.Unprotect(revealed.ProtectedText) : null);
}
