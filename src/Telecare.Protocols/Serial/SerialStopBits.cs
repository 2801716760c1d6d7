namespace Telecare.Protocols.Serial;

public enum SerialStopBits
{
    One = 1,
    Two = 2,
}
