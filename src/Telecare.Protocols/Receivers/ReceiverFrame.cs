namespace Telecare.Protocols.Receivers;

/// <summary>
/// One message read from a receiver's serial output. <see cref="Raw"/> is the message as it arrived
/// (one copy, without leading noise or glued duplicates) followed by its terminator: it is what is
/// stored, and it is the same bytes for every retransmission of the same message.
/// </summary>
public sealed class ReceiverFrame
{
    public required ReceiverDialect Dialect { get; init; }

    public required ReceiverFrameKind Kind { get; init; }

    public ReceiverMessageFormat Format { get; init; }

    /// <summary>Receiver number as sent (e.g. <c>01</c>).</summary>
    public required string Receiver { get; init; }

    /// <summary>Line (line card) number as sent (e.g. <c>1</c>); empty when the line has none.</summary>
    public required string Line { get; init; }

    /// <summary>The premises account; empty for heartbeats and link tests.</summary>
    public string Account { get; init; } = "";

    /// <summary>Contact ID message type (18, or 98); 0 for other formats.</summary>
    public int MessageType { get; init; }

    /// <summary>Contact ID qualifier; null for other formats.</summary>
    public ContactIdQualifier? Qualifier { get; init; }

    /// <summary>Contact ID event code (e.g. 101); 0 when <see cref="Format"/> is not Contact ID.</summary>
    public int EventCode { get; init; }

    /// <summary>SIA event code (two letters, e.g. <c>FA</c>); null for other formats.</summary>
    public string? SiaCode { get; init; }

    /// <summary>Contact ID group / partition.</summary>
    public int Group { get; init; }

    /// <summary>Zone, or user number when <see cref="ZoneIsUser"/>.</summary>
    public int Zone { get; init; }

    /// <summary>True when the Contact ID number is a user rather than a zone (Ademco 685 <c>U</c>).</summary>
    public bool ZoneIsUser { get; init; }

    /// <summary>How many copies of this message were glued together on the line (1 normally).</summary>
    public int Copies { get; init; } = 1;

    /// <summary>The message bytes and terminator (see the type's summary).</summary>
    public required ReadOnlyMemory<byte> Raw { get; init; }

    /// <summary>True when the qualifier is a restore.</summary>
    public bool IsRestore => Qualifier == ContactIdQualifier.Restore;

    /// <summary>The Contact ID report carried by this frame, when it carries one.</summary>
    public bool TryGetContactId(out ContactIdReport report)
    {
        if (Format == ReceiverMessageFormat.ContactId && Qualifier is { } q)
        {
            report = new ContactIdReport(Account, MessageType, q, EventCode, Group, Zone);
            return true;
        }

        report = default;
        return false;
    }

    public override string ToString() => System.Text.Encoding.ASCII.GetString(Raw.Span).TrimEnd('\u0014', '\r', '\n');
}
