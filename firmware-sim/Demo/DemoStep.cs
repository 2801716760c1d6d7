using Telecare.FirmwareSim.Devices;

namespace Telecare.FirmwareSim.Demo;

/// <summary>
/// One beat of the demo night: at <see cref="StoryTime"/> (a label, not a clock), <see cref="DeviceId"/> sends
/// <see cref="Event"/> (or a heartbeat when null); <see cref="LookFor"/> says what appears on the dispatch console.
/// </summary>
public sealed record DemoStep(string StoryTime, DemoDevice Device, DeviceEvent? Event, string Narration, string? LookFor)
{
    /// <summary>The battery level the device reports with this message.</summary>
    public int Battery { get; init; } = 92;

    public bool IsHeartbeat => Event is null;
}

/// <summary>A device the gateway seeds in demo mode (src/Telecare.Gateway/Demo/DemoSeeder.cs), and whose it is.</summary>
public sealed record DemoDevice(string Id, DeviceKind Kind, string Resident, string Zone)
{
    public string Secret => $"demo-secret-{Id}";
}
