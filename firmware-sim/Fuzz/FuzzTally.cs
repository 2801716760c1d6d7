using System.Collections.Concurrent;
using System.Diagnostics;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// What one fuzz target took and how it answered: inputs, the ones it refused (a deliberate answer to bad input), and
/// failures (an exception, a hang, a 500, a crash). Each failure keeps the input that caused it, so it can be replayed.
/// </summary>
public sealed class FuzzTally(string target)
{
    private const int KeptFailures = 10;
    private readonly ConcurrentQueue<string> _failures = new();
    private long _inputs;
    private long _refused;
    private long _failed;
    private long _busySince;
    private object _current = "";

    public string Target { get; } = target;

    public long Inputs => Interlocked.Read(ref _inputs);

    public long Refused => Interlocked.Read(ref _refused);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first failures, each with the input that caused it (hex or text).</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Marks the start of one input (bytes or text), so a hang can be caught while it is still running and named.</summary>
    public void Begin(object input)
    {
        Volatile.Write(ref _current, input);
        Volatile.Write(ref _busySince, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _inputs);
    }

    public void End() => Volatile.Write(ref _busySince, 0);

    public void CountRefused() => Interlocked.Increment(ref _refused);

    /// <summary>An input as a failure report shows it: bytes in hex (the first 512), anything else as text.</summary>
    public static string Describe(object input) => input switch
    {
        byte[] bytes => $"{bytes.Length} bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 512)))}{(bytes.Length > 512 ? "…" : "")}",
        _ => input.ToString() ?? "",
    };

    public void Fail(string what)
    {
        if (Interlocked.Increment(ref _failed) <= KeptFailures)
        {
            _failures.Enqueue(what);
        }
    }

    /// <summary>When the input in hand has taken longer than <paramref name="limit"/>, records a hang once and returns true.</summary>
    public bool CheckHang(TimeSpan limit)
    {
        var since = Volatile.Read(ref _busySince);
        if (since == 0 || Stopwatch.GetElapsedTime(since) < limit)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _busySince, 0, since) == since)
        {
            Fail($"no answer within {limit.TotalSeconds:0} s (a hang) on: {Describe(Volatile.Read(ref _current))}");
        }

        return true;
    }
}
