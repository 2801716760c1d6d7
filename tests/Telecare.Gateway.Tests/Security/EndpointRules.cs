using Telecare.Core.Accounts;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Tests.Security;

/// <summary>
/// Who may call every endpoint. The authorization matrix test fails for any route missing here, so a new endpoint
/// cannot ship without a rule. Keys are "METHOD /route/pattern" as the endpoint declares it.
/// </summary>
public static class EndpointRules
{
    public static readonly string[] Anonymous = ["anonymous", .. Roles.All];
    public static readonly string[] AnyRole = Roles.All.ToArray();
    public static readonly string[] Admin = [Roles.Admin];
    public static readonly string[] Equipment = [Roles.Admin, Roles.Installer];
    public static readonly string[] Staff = [Roles.Admin, Roles.Installer, Roles.Handler, Roles.Supervisor];
    public static readonly string[] Dispatch = [Roles.Handler, Roles.Supervisor, Roles.Admin];
    public static readonly string[] Reports = [Roles.Supervisor, Roles.Admin];
    public static readonly string[] Respond = [Roles.Responder];

    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["GET /health/live"] = Anonymous,
        ["GET /health/ready"] = Anonymous,
        ["GET /openapi/{documentName}.json"] = Anonymous,
        ["POST /api/v1/signals"] = Equipment,
        ["POST /api/v1/admin/backup"] = Admin,
        ["POST /api/v1/auth/login"] = Anonymous,
        ["POST /api/v1/auth/logout"] = AnyRole,
        ["GET /api/v1/auth/me"] = AnyRole,
        ["GET /api/v1/zones/"] = Staff,
        ["GET /api/v1/zones/{id:long}"] = Staff,
        ["POST /api/v1/zones/"] = Admin,
        ["PUT /api/v1/zones/{id:long}"] = Admin,
        ["GET /api/v1/residents/"] = Staff,
        ["GET /api/v1/residents/{id:long}"] = Staff,
        ["POST /api/v1/residents/"] = Equipment,
        ["PUT /api/v1/residents/{id:long}"] = Equipment,
        ["GET /api/v1/residents/{id:long}/access-details"] = Dispatch,
        ["GET /api/v1/residents/{id:long}/expected-activity/"] = Staff,
        ["PUT /api/v1/residents/{id:long}/expected-activity/"] = Equipment,
        ["GET /api/v1/devices/"] = Equipment,
        ["GET /api/v1/devices/{id:long}"] = Equipment,
        ["POST /api/v1/devices/"] = Equipment,
        ["PUT /api/v1/devices/{id:long}"] = Equipment,
        ["PUT /api/v1/devices/{id:long}/binding"] = Equipment,
        ["PUT /api/v1/devices/{id:long}/test-mode"] = Equipment,
        ["POST /api/v1/devices/{id:long}/retire"] = Equipment,
        ["GET /api/v1/responders/"] = Staff,
        ["GET /api/v1/responders/{id:long}"] = Staff,
        ["POST /api/v1/responders/"] = Equipment,
        ["PUT /api/v1/responders/{id:long}"] = Equipment,
        ["GET /api/v1/users/"] = Admin,
        ["POST /api/v1/users/"] = Admin,
        ["POST /api/v1/users/{id:long}/disable"] = Admin,
        ["GET /api/v1/api-keys/"] = Admin,
        ["POST /api/v1/api-keys/"] = Admin,
        ["POST /api/v1/api-keys/{id:long}/revoke"] = Admin,
        // Page shells: anyone is steered to the page for their role (anonymous to /login); the data comes through
        // the authenticated hubs and API. An office role with no page (admin, installer) is told so with 403.
        ["GET /login"] = Anonymous,
        ["GET /"] = ["anonymous", Roles.Handler, Roles.Supervisor, Roles.Responder],
        ["GET /responder"] = ["anonymous", Roles.Handler, Roles.Supervisor, Roles.Responder],
        ["GET /api/v1/calls"] = Dispatch,
        ["GET /api/v1/calls/{id:long}"] = Dispatch,
        ["GET /api/v1/calls/{id:long}/timeline"] = Dispatch,
        ["GET /api/v1/reports/kpi"] = Reports,
        ["GET /api/v1/reports/kpi/zones"] = Reports,
        // Hub endpoints (negotiate and the connection itself); methods are covered by the hubs' own [Authorize].
        ["GET /hubs/dispatch/negotiate"] = Dispatch,
        ["GET /hubs/dispatch"] = Dispatch,
        ["GET /hubs/responder/negotiate"] = Respond,
        ["GET /hubs/responder"] = Respond,
    };
}
