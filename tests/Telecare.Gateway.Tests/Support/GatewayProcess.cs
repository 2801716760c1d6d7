using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telecare.Gateway.Tests.Support;

/// <summary>
/// The real gateway as a child process (the build output's Telecare.Gateway.dll), configured through environment
/// variables exactly as an operator would. Used where a test must kill the process for real.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public GatewayProcess(string dataDirectory, IDictionary<string, string>? environment = null)
    {
        DataDirectory = dataDirectory;
        Port = FreeTcpPort();
        _environment = new Dictionary<string, string>
        {
            ["Store__Path"] = Path.Combine(dataDirectory, "telecare.db"),
            ["Store__BackupFolder"] = Path.Combine(dataDirectory, "backups"),
            ["Store__BackupIntervalMinutes"] = "0",
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(dataDirectory, "logs", "gateway-.log"),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Mqtt__Port"] = "0",
            ["Mqtt__Address"] = "127.0.0.1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string GatewayDll
    {
        get
        {
            // tests/Telecare.Gateway.Tests/bin/<Configuration>/net10.0 -> src/Telecare.Gateway/bin/<Configuration>/net10.0
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var root = RepositoryRoot();
            var dll = Path.Combine(root, "src", "Telecare.Gateway", "bin", configuration, framework, "Telecare.Gateway.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the gateway first: {dll} is missing.");
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TelecareGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("TelecareGateway.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync(params string[] extraArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        start.ArgumentList.Add(GatewayDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            // "{port}" is the HTTP port this process was given (for settings that name their own endpoints).
            start.Environment[key] = value.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The gateway did not become ready within 60 s:\n{Output}");
    }

    /// <summary>
    /// Bytes the process's thread named <paramref name="threadNamePrefix"/> has read through read(2) so far (rchar in
    /// /proc/pid/task/tid/io; Linux truncates thread names to 15 characters). Shows that the gateway took bytes off a
    /// port, e.g. the "serial-read" thread, without asking the gateway.
    /// </summary>
    public long BytesReadByThread(string threadNamePrefix)
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        foreach (var task in Directory.GetDirectories($"/proc/{process.Id}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(threadNamePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var rchar = File.ReadLines(Path.Combine(task, "io")).First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
                return long.Parse(rchar["rchar:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading.
            }
        }

        throw new InvalidOperationException($"the gateway has no thread named {threadNamePrefix}*");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut for the process.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
