using System.Diagnostics.Metrics;
using Telecare.Gateway.Signals;

namespace Telecare.Gateway.Calls;

/// <summary>Open calls by priority and connected consoles, as gauges on the gateway meter.</summary>
public sealed class ConsoleMetrics
{
    private int _dispatchConsoles;
    private int _responderPhones;

    public ConsoleMetrics(SignalMetrics metrics, CallService calls)
    {
        metrics.Meter.CreateObservableGauge("telecare.calls.open", () => calls.Unfinished()
            .Where(c => c.IsOpen)
            .GroupBy(c => c.Priority)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("priority", g.Key.ToString()))),
            "{call}", "Open calls by priority");
        metrics.Meter.CreateObservableGauge("telecare.consoles.connected", () => new[]
        {
            new Measurement<int>(Volatile.Read(ref _dispatchConsoles), new KeyValuePair<string, object?>("hub", "dispatch")),
            new Measurement<int>(Volatile.Read(ref _responderPhones), new KeyValuePair<string, object?>("hub", "responder")),
        }, "{connection}", "Connected consoles and responder phones");
    }

    public int DispatchConsoles => Volatile.Read(ref _dispatchConsoles);

    public void DispatchConnected() => Interlocked.Increment(ref _dispatchConsoles);

    public void DispatchDisconnected() => Interlocked.Decrement(ref _dispatchConsoles);

    public void ResponderConnected() => Interlocked.Increment(ref _responderPhones);

    public void ResponderDisconnected() => Interlocked.Decrement(ref _responderPhones);
}
