namespace Telecare.Protocols.Serial;

/// <summary>How to open a serial line. <see cref="Validate"/> names the offending setting.</summary>
public sealed record SerialPortSettings
{
    public static readonly int[] SupportedBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

    public required string Path { get; init; }

    public int BaudRate { get; init; } = 9600;

    /// <summary>7 or 8.</summary>
    public int DataBits { get; init; } = 8;

    public SerialParity Parity { get; init; } = SerialParity.None;

    public SerialStopBits StopBits { get; init; } = SerialStopBits.One;

    /// <summary>Hardware flow control (RTS/CTS).</summary>
    public bool RtsCts { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("the serial device path is empty", nameof(Path));
        }

        if (Array.IndexOf(SupportedBaudRates, BaudRate) < 0)
        {
            throw new ArgumentException($"{Path}: baud rate {BaudRate} is not one of {string.Join(", ", SupportedBaudRates)}", nameof(BaudRate));
        }

        if (DataBits is not (7 or 8))
        {
            throw new ArgumentException($"{Path}: data bits must be 7 or 8, not {DataBits}", nameof(DataBits));
        }

        if (!Enum.IsDefined(Parity))
        {
            throw new ArgumentException($"{Path}: parity {Parity} is not none, even or odd", nameof(Parity));
        }

        if (!Enum.IsDefined(StopBits))
        {
            throw new ArgumentException($"{Path}: stop bits must be 1 or 2", nameof(StopBits));
        }
    }

    /// <summary>e.g. <c>/dev/ttyUSB0 9600 8N1</c>.</summary>
    public override string ToString() =>
        $"{Path} {BaudRate} {DataBits}{Parity switch { SerialParity.Even => 'E', SerialParity.Odd => 'O', _ => 'N' }}{(int)StopBits}{(RtsCts ? " RTS/CTS" : "")}";
}
