using System.Security.Claims;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;
using Telecare.Gateway.Store.Audit;

namespace Telecare.Gateway.Admin;

/// <summary>
/// The audit trail for units that still write their own SQL (the responder hub, assignments); the admin API audits
/// through its store ports. Remove once those units move behind ports too.
/// </summary>
public static class Audit
{
    public static void Write(WriteContext context, DateTimeOffset at, ClaimsPrincipal actor, string action, string target, string? detail = null) =>
        AuditTrail.Append(context, at, AuditActor.Of(actor), action, target, detail);

    public static void Write(WriteContext context, DateTimeOffset at, string actor, string action, string target, string? detail = null) =>
        AuditTrail.Append(context, at, actor, action, target, detail);
}
