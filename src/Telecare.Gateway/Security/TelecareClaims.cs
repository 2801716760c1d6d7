namespace Telecare.Gateway.Security;

/// <summary>Claims the gateway puts on a signed-in user beside name and role.</summary>
public static class TelecareClaims
{
    public const string UserId = "user_id";

    /// <summary>The responder record a responder login is linked to; hubs use it to send only their own assignments.</summary>
    public const string ResponderId = "responder_id";
}
