using System.Security.Claims;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

/// <summary>The append-only audit trail: who did what to what, written in the same unit as the change it records.</summary>
public static class Audit
{
    public static void Write(WriteContext context, DateTimeOffset at, ClaimsPrincipal actor, string action, string target, string? detail = null) =>
        Write(context, at, actor.Identity?.Name ?? "anonymous", action, target, detail);

    public static void Write(WriteContext context, DateTimeOffset at, string actor, string action, string target, string? detail = null)
    {
        using var command = context.Command("INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail)");
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$actor", actor);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
