using System.Collections.Concurrent;

namespace Telecare.Gateway.Health;

/// <summary>
/// Each ingress (MQTT listener, serial port, external broker connection) reports whether it is up.
/// /health/ready is false while any registered ingress is down.
/// </summary>
public sealed class IngressHealth
{
    private readonly ConcurrentDictionary<string, IngressState> _states = new(StringComparer.Ordinal);

    public sealed record IngressState(string Name, bool Up, string? Detail, DateTimeOffset Since);

    /// <summary>Registers an ingress as down until it reports up: a configured ingress that never starts keeps readiness false.</summary>
    public void Register(string name, DateTimeOffset now) =>
        _states.TryAdd(name, new IngressState(name, false, "starting", now));

    public void Report(string name, bool up, string? detail, DateTimeOffset now) =>
        _states.AddOrUpdate(name,
            _ => new IngressState(name, up, detail, now),
            (_, old) => old.Up == up && old.Detail == detail ? old : new IngressState(name, up, detail, now));

    public IReadOnlyCollection<IngressState> States => _states.Values.ToArray();
}
