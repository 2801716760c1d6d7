using System.Diagnostics;
using System.Globalization;
using Telecare.Gateway.Tests.Support;
using Telecare.Testing;

namespace Telecare.Benchmarks;

/// <summary>
/// One broker under test, a child process of this one: mosquitto, our broker alone, or the gateway (its embedded broker
/// with the durable commit before each PUBACK). The .NET ones are watched over EventPipe from the start.
/// </summary>
internal sealed class MqttTarget : IAsyncDisposable
{
    public const string Secret = "bench-device-secret";

    /// <summary>What is read from a .NET target: its allocations, and the gateway's commit batches and duplicates.</summary>
    private static readonly string[] Instruments =
    [
        $@"System.Runtime\{EventPipeMetrics.TotalAllocated}",
        @"Telecare.Store\telecare.store.commit.batch_size",
        @"Telecare.Store\telecare.store.commit.duration",
        @"Telecare.Gateway\telecare.signals.received",
        @"Telecare.Gateway\telecare.signals.duplicated",
    ];

    private readonly IAsyncDisposable _process;
    private readonly string? _dataFolder;

    private MqttTarget(string name, int processId, int port, IAsyncDisposable process, GatewayProcess? gateway = null, string? dataFolder = null)
    {
        Name = name;
        ProcessId = processId;
        Port = port;
        _process = process;
        Gateway = gateway;
        _dataFolder = dataFolder;
        Metrics = name.StartsWith("mosquitto", StringComparison.Ordinal) ? null : EventPipeMetrics.Start(processId, Instruments);
    }

    public string Name { get; }

    public int ProcessId { get; }

    public int Port { get; }

    /// <summary>Null for mosquitto, which is not .NET.</summary>
    public EventPipeMetrics? Metrics { get; }

    public GatewayProcess? Gateway { get; }

    public static async Task<MqttTarget> StartMosquittoAsync()
    {
        var mosquitto = await MqttMosquittoBroker.StartAsync();
        return new MqttTarget("mosquitto " + MosquittoVersion(), mosquitto.ProcessId, mosquitto.Port, mosquitto);
    }

    public static async Task<MqttTarget> StartBrokerAloneAsync()
    {
        var port = GatewayProcess.FreeTcpPort();
        // Server GC like the gateway, so only what is behind the broker differs.
        var broker = HelperProcess.Start(["mqtt-broker-alone", port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });
        await broker.NextLineAsync(TimeSpan.FromSeconds(30));
        return new MqttTarget("our broker alone", broker.ProcessId, port, broker);
    }

    /// <param name="devices">Registered with <see cref="Secret"/> before it starts.</param>
    /// <param name="environment">More settings, e.g. bootstrap API keys.</param>
    public static async Task<MqttTarget> StartGatewayAsync(IEnumerable<(string Id, string Type)> devices, IDictionary<string, string>? environment = null)
    {
        var data = Directory.CreateTempSubdirectory("telecare-mqtt-bench-");
        try
        {
            GatewaySeed.Devices(Path.Combine(data.FullName, "telecare.db"), Secret, devices);
            var port = GatewayProcess.FreeTcpPort();
            var settings = new Dictionary<string, string>
            {
                ["Mqtt__Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Security__Bootstrap__AdminPassword"] = "benchmark-admin-password",
                ["Serilog__MinimumLevel__Default"] = "Warning",
            };
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            var gateway = new GatewayProcess(data.FullName, settings);
            try
            {
                await gateway.StartAsync();
            }
            catch
            {
                await gateway.DisposeAsync();
                throw;
            }

            return new MqttTarget("gateway (embedded broker + durable commit)", gateway.ProcessId, port, gateway, gateway, data.FullName);
        }
        catch
        {
            data.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Metrics is not null)
        {
            await Metrics.DisposeAsync();
        }

        await _process.DisposeAsync();
        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private static string MosquittoVersion()
    {
        using var process = Process.Start(new ProcessStartInfo(MqttTestProcess.Find("mosquitto", "mosquitto"), "-h") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        var words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "version");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : "";
    }
}
