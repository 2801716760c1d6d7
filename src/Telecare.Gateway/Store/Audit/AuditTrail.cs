namespace Telecare.Gateway.Store.Audit;

/// <summary>The append-only audit trail: who did what to what, written in the same unit as the change it records.</summary>
internal static class AuditTrail
{
    public static void Append(WriteContext context, DateTimeOffset at, string actor, string action, string target, string? detail = null)
    {
        using var command = context.Command(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail)",
            ("$at", at.ToUnixTimeMilliseconds()), ("$actor", actor), ("$action", action), ("$target", target), ("$detail", detail));
        command.ExecuteNonQuery();
    }
}
