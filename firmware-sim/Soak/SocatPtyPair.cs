using System.Diagnostics;
using System.Text;

namespace Telecare.FirmwareSim.Soak;

/// <summary>
/// Two kernel pseudo-terminals joined by socat (<c>a</c> and <c>b</c> in a folder): the receiver writes to one end, the
/// gateway opens the other. socat keeps both ends open itself, so the line survives a gateway that is killed: what the
/// receiver sends meanwhile waits in the pty for the next gateway, as on a real serial cable.
/// </summary>
public sealed class SocatPtyPair : IAsyncDisposable
{
    private readonly Process _process;

    private SocatPtyPair(Process process, string directory)
    {
        _process = process;
        PathA = Path.Combine(directory, "a");
        PathB = Path.Combine(directory, "b");
    }

    /// <summary>The receiver's end.</summary>
    public string PathA { get; }

    /// <summary>The gateway's end.</summary>
    public string PathB { get; }

    public bool IsRunning => !_process.HasExited;

    public static async Task<SocatPtyPair> StartAsync(string directory, TimeSpan timeout)
    {
        var socat = FindOnPath("socat") ?? throw new InvalidOperationException("socat is not installed: apt-get install socat");
        Directory.CreateDirectory(directory);
        var a = Path.Combine(directory, "a");
        var b = Path.Combine(directory, "b");
        var start = new ProcessStartInfo(socat) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-d", "-d", $"pty,raw,echo=0,link={a}", $"pty,raw,echo=0,link={b}" })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"socat exited before it was ready: {log}"));
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            // socat says this once both ptys exist and it is copying between them.
            if (e.Data.Contains("starting data transfer loop", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var pair = new SocatPtyPair(process, directory);
        try
        {
            await ready.Task.WaitAsync(timeout).ConfigureAwait(false);
            return File.Exists(a) && File.Exists(b) ? pair : throw new InvalidOperationException($"socat is running but its links are missing: {log}");
        }
        catch
        {
            await pair.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? FindOnPath(string program) => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, program))
        .FirstOrDefault(File.Exists);
}
