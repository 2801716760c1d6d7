using System.Diagnostics.Metrics;
using Telecare.Core.Signals;

namespace Telecare.Gateway.Signals;

/// <summary>Signals received, rejected and duplicated by source (meter "Telecare.Gateway").</summary>
public sealed class SignalMetrics
{
    public const string MeterName = "Telecare.Gateway";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicated;
    private readonly Histogram<double> _submitMilliseconds;

    public SignalMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _received = Meter.CreateCounter<long>("telecare.signals.received", "{signal}", "Signals committed, by source");
        _rejected = Meter.CreateCounter<long>("telecare.signals.rejected", "{signal}", "Malformed signals stored as rejected, by source");
        _duplicated = Meter.CreateCounter<long>("telecare.signals.duplicated", "{signal}", "Retries recognised as already stored, by source");
        _submitMilliseconds = Meter.CreateHistogram<double>("telecare.signals.submit.duration", "ms", "Submit to durable receipt");
    }

    /// <summary>The meter, for gauges other parts register (open calls, connected devices and consoles).</summary>
    public Meter Meter { get; }

    public void Observe(SignalSource source, bool rejected, bool duplicate, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("source", SourceName(source));
        if (duplicate)
        {
            _duplicated.Add(1, tag);
        }
        else if (rejected)
        {
            _rejected.Add(1, tag);
        }
        else
        {
            _received.Add(1, tag);
        }

        _submitMilliseconds.Record(elapsed.TotalMilliseconds, tag);
    }

    private static string SourceName(SignalSource source) => source switch
    {
        SignalSource.Mqtt => "mqtt",
        SignalSource.Serial => "serial",
        SignalSource.Http => "http",
        _ => "internal",
    };
}
