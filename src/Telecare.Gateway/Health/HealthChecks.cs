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
            // A real write in the group-commit path: the main file's WAL, synced, like every signal's commit.
            await writer.ProbeAsync(timeout.Token).WaitAsync(timeout.Token);
            return writer.IsHealthy
                ? HealthCheckResult.Healthy("store writable")
                : HealthCheckResult.Unhealthy("last commit failed", writer.LastCommitError);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"store cannot commit: {(ex.InnerException ?? ex).Message}", ex);
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
