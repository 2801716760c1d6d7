using System.Globalization;
using System.Net.Sockets;

namespace Telecare.Testing;

/// <summary>A real mosquitto on a free loopback port with a temporary config and persistence directory.</summary>
internal sealed class MqttMosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _executable;
    private readonly DirectoryInfo _dir;
    private readonly string _config;
    private readonly List<string> _earlierOutput = [];
    private MqttTestProcess? _process;

    private MqttMosquittoBroker(string executable, DirectoryInfo dir, int port, bool verbose, IEnumerable<string> listenerOptions)
    {
        _executable = executable;
        _dir = dir;
        Port = port;
        _config = Path.Combine(dir.FullName, "mosquitto.conf");
        // stderr, not stdout: mosquitto buffers stdout when it is not a terminal, and tests read the log as it happens.
        File.WriteAllText(_config, string.Join('\n',
        [
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            .. listenerOptions,
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {dir.FullName}/",
            "log_dest stderr",
            .. verbose ? ["log_type all"] : new[] { "log_type error", "log_type warning" },
            "",
        ]));
    }

    public int Port { get; }

    /// <summary>The running mosquitto's process id (for its memory and CPU in /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("mosquitto is not running");

    /// <summary>The broker's own temporary folder (config, persistence, any files a test puts there).</summary>
    public string Folder => _dir.FullName;

    /// <summary>Everything mosquitto logged, across restarts (every packet when started verbose).</summary>
    public string Output
    {
        get
        {
            lock (_earlierOutput)
            {
                return string.Join('\n', [.. _earlierOutput, _process?.Output ?? ""]);
            }
        }
    }

    /// <summary>What the running mosquitto has logged since it (re)started.</summary>
    public string CurrentOutput => _process?.Output ?? "";

    /// <param name="verbose">Log every packet (<c>log_type all</c>), for tests that check what crossed the wire.</param>
    /// <param name="listenerOptions">Config lines for the listener, given the broker's folder (for example TLS files written there).</param>
    public static async Task<MqttMosquittoBroker> StartAsync(bool verbose = false, Func<string, IEnumerable<string>>? listenerOptions = null)
    {
        var executable = MqttTestProcess.Find("mosquitto", "mosquitto");
        var dir = Directory.CreateTempSubdirectory("telecare-mosquitto-");

        // Started as root, mosquitto drops to its own user, which must still write the persistence file.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1FF);
        }
        var broker = new MqttMosquittoBroker(executable, dir, MqttTestProcess.FreePort(), verbose, listenerOptions?.Invoke(dir.FullName) ?? []);
        await broker.RunAsync();
        return broker;
    }

    private async Task RunAsync()
    {
        _process = MqttTestProcess.Start(_executable, "-c", _config);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {_process.Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops mosquitto cleanly (it writes its persistence file) and starts it again on the same port.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        await StopAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        await RunAsync();
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.TerminateAsync();
            lock (_earlierOutput)
            {
                _earlierOutput.Add(_process.Output);
            }

            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
