namespace Telecare.Protocols.Serial;

public enum SerialParity
{
    None,
    Even,
    Odd,
}
