using System.Diagnostics;
using System.Threading.Channels;

namespace Telecare.Benchmarks;

/// <summary>This benchmark program started again in one of its helper modes, fed and stopped through its standard input.</summary>
internal sealed class HelperProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private HelperProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public static HelperProcess Start(string[] arguments, IDictionary<string, string>? environment = null)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(HelperProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + self);
        var helper = new HelperProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                helper._lines.Writer.TryComplete();
            }
            else
            {
                helper._lines.Writer.TryWrite(e.Data);
            }
        };
        process.BeginOutputReadLine();
        return helper;
    }

    public async Task<string> NextLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _lines.Reader.ReadAsync(cts.Token);
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closing its input tells the helper to finish; it is killed if it does not.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
