namespace Telecare.Gateway.Hosting;

/// <summary>
/// Lets at most <c>perWindow</c> messages through per window and counts the rest; the count is reported with the
/// first message of a later window. A flood of hostile connections is visible in the log without the log becoming
/// the flood.
/// </summary>
public sealed class LogThrottle(Action<string> write, TimeProvider time, int perWindow, TimeSpan window, Action<int> suppressed)
{
    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private int _written;
    private int _dropped;

    public void Write(string message)
    {
        var dropped = 0;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= window)
            {
                dropped = _dropped;
                _windowStart = now;
                _written = 0;
                _dropped = 0;
            }

            if (_written >= perWindow)
            {
                _dropped++;
                return;
            }

            _written++;
        }

        if (dropped > 0)
        {
            suppressed(dropped);
        }

        write(message);
    }
}
