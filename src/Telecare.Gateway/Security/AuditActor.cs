using System.Security.Claims;

namespace Telecare.Gateway.Security;

/// <summary>The name a signed-in user or API key is audited under.</summary>
public static class AuditActor
{
    public static string Of(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
