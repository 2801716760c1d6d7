namespace Telecare.Gateway.Security;

/// <summary>
/// Authorization policy names. Every endpoint and hub method names one of these; the authorization
/// matrix test enumerates every endpoint and fails for one that has none.
/// </summary>
public static class Policies
{
    /// <summary>The rate limiter of the sign-in endpoint, by client address.</summary>
    public const string LoginRateLimit = "login";

    /// <summary>POST /api/v1/signals: systems posting alarms (API keys with admin or installer role).</summary>
    public const string IngestSignals = "ingest-signals";

    /// <summary>Zones, users, API keys, backups: admin only.</summary>
    public const string Administer = "administer";

    /// <summary>Residents, devices, responders: admin and installer.</summary>
    public const string ManageEquipment = "manage-equipment";

    /// <summary>Reading residents and calls for dispatch: handler, supervisor, admin.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>
    /// Working calls on the dispatch console (claim, notes, assign, resolve, close, manual calls, access reveals):
    /// handler and supervisor. An admin may watch the console but does not work calls.
    /// </summary>
    public const string HandleCalls = "handle-calls";

    /// <summary>KPI reports: supervisor and admin.</summary>
    public const string Reports = "reports";

    /// <summary>Reading zones, residents and responders: every office role (admin, installer, handler, supervisor).</summary>
    public const string Staff = "staff";

    /// <summary>Any signed-in user or key (who am I, sign out).</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Responder page and hub: responder.</summary>
    public const string Respond = "respond";

    /// <summary>The header an API key travels in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";
}
