using System.Diagnostics;
using System.Text;

namespace Telecare.FirmwareSim.Serial;

/// <summary>
/// A pair of real kernel pseudo-terminals joined by socat (links <c>a</c> and <c>b</c> in a folder): bytes written to
/// <see cref="PathA"/> (the receiver's end) come out of <see cref="PathB"/> (the gateway's end) and back. Used by the
/// soak mode and by the tests. socat keeps both slave ends open itself, so the pair outlives a reader that closes its
/// end or is killed: bytes written meanwhile wait in the pty for the next reader on the same path (as on a real serial
/// line).
/// </summary>
public sealed class SocatPtyPair : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly bool _ownsDirectory;
    private Process? _process;

    private SocatPtyPair(string directory, bool ownsDirectory)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public string Directory { get; }

    public string PathA => System.IO.Path.Combine(Directory, "a");

    public string PathB => System.IO.Path.Combine(Directory, "b");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts socat with links <c>a</c> and <c>b</c> in a new temp directory, removed on dispose.</summary>
    public static Task<SocatPtyPair> StartAsync() =>
        StartAsync(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "telecare-pty-" + Guid.NewGuid().ToString("N")[..12]), ownsDirectory: true);

    /// <summary>Starts socat with links <c>a</c> and <c>b</c> in <paramref name="directory"/>, which the caller keeps.</summary>
    public static Task<SocatPtyPair> StartAsync(string directory) => StartAsync(directory, ownsDirectory: false);

    private static async Task<SocatPtyPair> StartAsync(string directory, bool ownsDirectory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pair = new SocatPtyPair(directory, ownsDirectory);
        try
        {
            await pair.RestartAsync();
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }

        return pair;
    }

    /// <summary>Starts (again) a socat on the same link paths, as when a USB adapter is plugged back in.</summary>
    public async Task RestartAsync()
    {
        Kill();
        File.Delete(PathA);
        File.Delete(PathB);

        var socat = FindSocat() ?? throw new InvalidOperationException(
            "socat is not installed: apt-get install socat (the serial tests and the soak need it)");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        var psi = new ProcessStartInfo(socat)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-d", "-d", $"pty,raw,echo=0,link={PathA}", $"pty,raw,echo=0,link={PathB}" })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("socat exited before it was ready: " + log));
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("starting data transfer loop", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"socat did not become ready within {StartTimeout}: {log}");
        }

        if (!File.Exists(PathA) || !File.Exists(PathB))
        {
            throw new InvalidOperationException($"socat is running but the links are missing: {log}");
        }
    }

    /// <summary>
    /// Kills socat (SIGKILL): both pseudo-terminals vanish, and so do their links, as an unplugged adapter's
    /// device node does (a stale link could later point at a reused pty number).
    /// </summary>
    public void Kill()
    {
        var p = _process;
        _process = null;
        if (p is null)
        {
            return;
        }

        // The owner may already have removed the folder (the soak clears its data folder when it passes).
        if (System.IO.Directory.Exists(Directory))
        {
            File.Delete(PathA);
            File.Delete(PathB);
        }

        try
        {
            if (!p.HasExited)
            {
                p.Kill();
            }

            p.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        p.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory.
            }
        }

        return ValueTask.CompletedTask;
    }

    private static string? FindSocat()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, "socat");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
