using System.Diagnostics;

namespace Telecare.Benchmarks;

/// <summary>Offers work at a steady rate: the i-th item goes at i / rate seconds after the start, however late the last one was.</summary>
internal sealed class Pacer(int rate)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task WaitForTurnAsync(int index)
    {
        var due = TimeSpan.FromSeconds((double)index / rate);
        while (_clock.Elapsed < due)
        {
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
