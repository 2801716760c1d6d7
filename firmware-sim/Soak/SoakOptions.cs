namespace Telecare.FirmwareSim.Soak;

/// <summary>What the crash-loop soak drives, how hard, and how often it kills the gateway.</summary>
public sealed record SoakOptions
{
    /// <summary>The built gateway (src/Telecare.Gateway/bin/Release/net10.0/Telecare.Gateway.dll), started with <c>dotnet</c>.</summary>
    public required string GatewayDll { get; init; }

    /// <summary>Where the gateway keeps its SQLite file and logs; null: a new temp folder, removed after a clean run.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>MQTT devices: the demo pendants pendant-001.. (the demo seeds 30, one per resident).</summary>
    public int Devices { get; init; } = 8;

    /// <summary>pendant.press events per second, shared by the devices.</summary>
    public double EventsPerSecond { get; init; } = 50;

    /// <summary>Lines per second from the one serial receiver (Sur-Gard MLR2, accounts rx1/1000.. of the same residents).</summary>
    public double SerialLinesPerSecond { get; init; } = 2;

    /// <summary>How many times the gateway is SIGKILLed and started again.</summary>
    public int Cycles { get; init; } = 10;

    /// <summary>How long, on average, the gateway runs between becoming ready and being killed (each one 0.5–1.5 times this).</summary>
    public TimeSpan Uptime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After the last restart: how long everything sent may take to be acknowledged and triaged.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long one gateway start may take to report ready.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public int Seed { get; init; } = Environment.TickCount;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GatewayDll) || !File.Exists(GatewayDll))
        {
            throw new ArgumentException($"the gateway dll '{GatewayDll}' does not exist (build it: dotnet build src/Telecare.Gateway -c Release)");
        }

        if (Devices is < 1 or > 30)
        {
            throw new ArgumentException("--devices must be 1..30 (the demo data set has 30 pendants)");
        }

        if (EventsPerSecond <= 0 || SerialLinesPerSecond < 0 || Cycles < 0 || Uptime <= TimeSpan.Zero)
        {
            throw new ArgumentException("--rate and --uptime-s must be positive, --serial-rate and --cycles not negative");
        }
    }
}
