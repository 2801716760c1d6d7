using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>
/// One Contact ID event for the emulated receiver to print. <see cref="Copies"/> above 1 glues that
/// many copies onto one line (as a receiver does when it repeats itself); <see cref="NoiseBefore"/> is
/// written just before the line, unterminated, as line noise.
/// </summary>
public sealed record ReceiverEmulatorEvent(
    string Account,
    ContactIdQualifier Qualifier,
    int Code,
    int Group = 1,
    int Zone = 1,
    bool ZoneIsUser = false)
{
    public int Copies { get; init; } = 1;

    public byte[]? NoiseBefore { get; init; }
}
