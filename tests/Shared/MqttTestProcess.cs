using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Telecare.Testing;

/// <summary>Runs mosquitto and its clients for interop tests; output lines arrive on a channel.</summary>
internal sealed class MqttTestProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    private MqttTestProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_all)
            {
                return string.Join('\n', _all);
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Finds a program on PATH or in the Debian locations; fails with what to install.</summary>
    public static string Find(string name, string package)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]);
        foreach (var dir in dirs.Where(d => d.Length > 0))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"'{name}' is needed by this test and was not found: install the Debian package '{package}' (apt-get install {package})");
    }

    public static MqttTestProcess Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new MqttTestProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_all)
        {
            _all.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }

    /// <summary>Next stdout line that is not a stderr line.</summary>
    public async Task<string> NextLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cts.Token);
                if (!line.StartsWith("stderr: ", StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no output line; output so far:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) so mosquitto saves its persistence file.</summary>
    public async Task TerminateAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
            }
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls a condition until it holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
