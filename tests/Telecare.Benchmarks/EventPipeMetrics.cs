using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Telecare.Benchmarks;

/// <summary>
/// A .NET child process's System.Diagnostics.Metrics instruments read from outside over EventPipe, as dotnet-counters
/// reads them, so nothing in the process changes: the runtime aggregates each instrument once per interval and sends
/// counters as their running total and histograms as that interval's count, sum and quantiles. A window's figures are
/// taken from the intervals that end inside it (plus the first after it), so they are within one interval of exact.
/// </summary>
internal sealed class EventPipeMetrics : IAsyncDisposable
{
    public const string TotalAllocated = "dotnet.gc.heap.total_allocated";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly List<MetricSample> _samples = [];
    private readonly Task _reader;
    private DateTime _intervalStart, _intervalEnd, _lastEnd;

    private EventPipeMetrics(int pid, IReadOnlyCollection<string> instruments)
    {
        var provider = new EventPipeProvider("System.Diagnostics.Metrics", EventLevel.Informational, keywords: 0x2 /* TimeSeriesValues */,
            new Dictionary<string, string>
            {
                ["SessionId"] = _sessionId,
                ["Metrics"] = string.Join(';', instruments),
                ["RefreshInterval"] = Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["MaxTimeSeries"] = "1000",
                ["MaxHistograms"] = "100",
            });
        _session = new DiagnosticsClient(pid).StartEventPipeSession([provider], requestRundown: false, circularBufferMB: 64);
        _reader = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
    }

    /// <param name="instruments">"Meter" or "Meter\instrument" each.</param>
    public static EventPipeMetrics Start(int pid, IReadOnlyCollection<string> instruments) => new(pid, instruments);

    /// <summary>Waits (up to ten seconds) until the intervals covering <paramref name="to"/> have arrived, then sums them up.</summary>
    public async Task<MetricsWindow> WindowAsync(DateTime from, DateTime to)
    {
        for (var waited = 0; waited < 100 && LastEnd < to + Interval; waited++)
        {
            await Task.Delay(100);
        }

        lock (_samples)
        {
            var counters = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var series in _samples.Where(s => s.Quantiles is null).GroupBy(s => (s.Instrument, s.Tags)))
            {
                // A series that had no measurement yet before the window started from nothing.
                var before = series.LastOrDefault(s => s.End <= from)?.Value ?? 0;
                if (series.FirstOrDefault(s => s.End >= to) is { } after)
                {
                    counters[series.Key.Instrument] = counters.GetValueOrDefault(series.Key.Instrument) + after.Value - before;
                }
            }

            var histograms = _samples.Where(s => s.Quantiles is not null && s.End > from && s.Start < to)
                .GroupBy(s => s.Instrument, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => HistogramWindow.Of(g.ToList()), StringComparer.Ordinal);
            return new MetricsWindow(counters, histograms);
        }
    }

    private DateTime LastEnd
    {
        get
        {
            lock (_samples)
            {
                return _lastEnd;
            }
        }
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += OnEvent;
        try
        {
            source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            // The session ended with the process.
        }
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.ProviderName != "System.Diagnostics.Metrics" || e.PayloadByName("sessionId") as string != _sessionId)
        {
            return;
        }

        // TraceEvent names a Start/Stop pair by its opcode: "Collection/Start".
        switch (e.EventName)
        {
            case "CollectionStart" or "Collection/Start":
                _intervalStart = Utc(e.PayloadByName("intervalStartTime"));
                _intervalEnd = Utc(e.PayloadByName("intervalEndTime"));
                break;
            case "CollectionStop" or "Collection/Stop":
                lock (_samples)
                {
                    _lastEnd = Utc(e.PayloadByName("intervalEndTime"));
                }

                break;
            case "CounterRateValuePublished" or "UpDownCounterRateValuePublished":
                if (double.TryParse(e.PayloadByName("value") as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    Add(new MetricSample(_intervalStart, _intervalEnd, (string)e.PayloadByName("instrumentName"), (string)e.PayloadByName("tags"), value, null, 0, 0));
                }

                break;
            case "HistogramValuePublished":
                Add(new MetricSample(_intervalStart, _intervalEnd, (string)e.PayloadByName("instrumentName"), (string)e.PayloadByName("tags"), 0,
                    Quantiles((string)e.PayloadByName("quantiles")), Convert.ToInt32(e.PayloadByName("count"), CultureInfo.InvariantCulture),
                    Convert.ToDouble(e.PayloadByName("sum"), CultureInfo.InvariantCulture)));
                break;
        }
    }

    private void Add(MetricSample sample)
    {
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    /// <summary>"0.5=3;0.95=7;0.99=9".</summary>
    private static Dictionary<double, double> Quantiles(string text) => text.Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('='))
        .ToDictionary(p => double.Parse(p[0], CultureInfo.InvariantCulture), p => double.Parse(p[1], CultureInfo.InvariantCulture));

    private static DateTime Utc(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        long fileTime => DateTime.FromFileTimeUtc(fileTime),
        _ => DateTime.MinValue,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or ObjectDisposedException)
        {
            // The process is already gone.
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _session.Dispose();
    }
}
