using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Api;

public static class BackupEndpoints
{
    public sealed record BackupResponse(string Path);

    /// <summary>POST /api/v1/admin/backup: an online backup now (admin).</summary>
    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/backup", async (BackupService backups, CancellationToken cancellationToken) =>
                TypedResults.Ok(new BackupResponse(await backups.BackupNowAsync(cancellationToken))))
            .RequireAuthorization(Policies.Administer)
            .WithTags("Admin");
        return app;
    }
}
