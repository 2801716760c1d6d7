namespace Telecare.Protocols.Receivers;

/// <summary>The serial output format of an alarm receiver (configuration names match).</summary>
public enum ReceiverDialect
{
    /// <summary>Sur-Gard MLR2 family: messages end with DC4 (0x14).</summary>
    SurGardMlr2,

    /// <summary>Ademco 685 / MX8000 style: LF, message, CR.</summary>
    Ademco685,
}
