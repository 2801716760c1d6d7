using Microsoft.Extensions.Diagnostics.HealthChecks;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Health;

/// <summary>Ready only if a write can be committed now: a read-only or full disk must not look healthy.</summary>
public sealed class StoreWritableCheck(StoreWriter writer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            // A real write in the group-commit path: touches the file and the WAL like every signal does.
            await writer.ExecuteAsync(context =>
            {
                using var command = context.Command("CREATE TEMP TABLE IF NOT EXISTS health_probe(x); PRAGMA main.user_version;");
                command.ExecuteNonQuery();
            }, timeout.Token).WaitAsync(timeout.Token);
            return writer.IsHealthy
                ? HealthCheckResult.Healthy("store writable")
                : HealthCheckResult.Unhealthy("last commit failed", writer.LastCommitError);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("store cannot commit", ex);
        }
    }
}

public sealed class IngressCheck(IngressHealth ingress) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = ingress.States.Where(s => !s.Up).ToArray();
        var data = ingress.States.ToDictionary(s => s.Name, s => (object)(s.Up ? "up" : $"down: {s.Detail}"));
        return Task.FromResult(down.Length == 0
            ? HealthCheckResult.Healthy($"{ingress.States.Count} ingress(es) up", data)
            : HealthCheckResult.Unhealthy($"down: {string.Join(", ", down.Select(d => d.Name))}", data: data));
    }
}
