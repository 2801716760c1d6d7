using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>How the emulated alarm receiver behaves. Defaults follow the receivers' documented behaviour.</summary>
public sealed record ReceiverEmulatorOptions
{
    public ReceiverDialect Dialect { get; init; } = ReceiverDialect.SurGardMlr2;

    /// <summary>Receiver number, two digits.</summary>
    public string Receiver { get; init; } = "01";

    /// <summary>Line card number, one digit.</summary>
    public string Line { get; init; } = "1";

    /// <summary>How long to wait for ACK before sending the line again.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How many times a line is sent again after NAK or silence before it is held in the buffer.</summary>
    public int Resends { get; init; } = 3;

    /// <summary>Messages held while the computer does not acknowledge (the one being sent included).</summary>
    public int BufferCapacity { get; init; } = 127;

    /// <summary>How long a buffered message waits after its resends ran out before it is tried again.</summary>
    public TimeSpan RetryBufferedAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeat period; <see cref="TimeSpan.Zero"/> turns heartbeats off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The port settings this model uses on its serial output.</summary>
    public SerialPortSettings PortSettings(string path) => Dialect switch
    {
        // Sur-Gard models differ (9600 8N1, 19200 7E1, 1200 7E1); the MLR2 default is 9600 8N1.
        ReceiverDialect.SurGardMlr2 => new SerialPortSettings { Path = path, BaudRate = 9600, DataBits = 8, Parity = SerialParity.None },
        _ => new SerialPortSettings { Path = path, BaudRate = 1200, DataBits = 7, Parity = SerialParity.Even },
    };

    public void Validate()
    {
        if (Receiver.Length != 2 || !Receiver.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("the receiver number must be 2 digits", nameof(Receiver));
        }

        if (Line.Length != 1 || !char.IsAsciiDigit(Line[0]))
        {
            throw new ArgumentException("the line number must be 1 digit", nameof(Line));
        }

        if (AckTimeout <= TimeSpan.Zero || Resends < 0 || BufferCapacity < 1 || RetryBufferedAfter < TimeSpan.Zero || HeartbeatInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("timeouts must be positive, resends and buffer capacity non-negative");
        }
    }
}
