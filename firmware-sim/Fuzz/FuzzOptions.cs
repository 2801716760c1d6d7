namespace Telecare.FirmwareSim.Fuzz;

/// <summary>How long the soak's fuzz run lasts, how it is seeded, and how hard each target is driven.</summary>
public sealed record FuzzOptions
{
    /// <summary>The built gateway (src/Telecare.Gateway/bin/Release/net10.0/Telecare.Gateway.dll), started with <c>dotnet</c>.</summary>
    public required string GatewayDll { get; init; }

    /// <summary>Where the gateway keeps its SQLite file and logs; null: a new temp folder, removed after a clean run.</summary>
    public string? DataDirectory { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Hostile MQTT connections open at once.</summary>
    public int MqttConnections { get; init; } = 4;

    /// <summary>HTTP requests in flight at once.</summary>
    public int HttpRequests { get; init; } = 2;

    /// <summary>Hostile chunks per second written to the receiver's serial line.</summary>
    public double SerialChunksPerSecond { get; init; } = 20;

    /// <summary>Real alarms beside the fuzz, from two demo pendants and the receiver: each must be acknowledged and stored once.</summary>
    public double CanaryEventsPerSecond { get; init; } = 5;

    public double CanarySerialLinesPerSecond { get; init; } = 1;

    /// <summary>A codec call that takes longer than this is a hang.</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GatewayDll) || !File.Exists(GatewayDll))
        {
            throw new ArgumentException($"the gateway dll '{GatewayDll}' does not exist (build it: dotnet build src/Telecare.Gateway -c Release)");
        }

        if (Duration <= TimeSpan.Zero || MqttConnections < 0 || HttpRequests < 0 || SerialChunksPerSecond < 0
            || CanaryEventsPerSecond <= 0 || CanarySerialLinesPerSecond <= 0)
        {
            throw new ArgumentException("--seconds and the canary rates must be positive, the fuzz rates not negative");
        }
    }
}
