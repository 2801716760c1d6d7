using System.Globalization;
using System.Text;

namespace Telecare.Protocols.Receivers;

/// <summary>
/// Ademco Contact ID (SIA DC-05) reports: parsing, checksum and formatting.
/// Checksum rule: every digit counts its value, 0 counts 10 and hex B-F count 11-15; the sum of
/// all digits including the checksum is a multiple of 15; a computed checksum of 0 is sent as F.
/// </summary>
public static class ContactId
{
    /// <summary>Length of a report with its checksum.</summary>
    public const int ReportLength = 16;

    /// <summary>Length of a report without its checksum.</summary>
    public const int BodyLength = 15;

    /// <summary>
    /// Parses a 16-character report (checksum verified) or a 15-character one (no checksum).
    /// ASCII bytes; surrounding whitespace is not accepted.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out ContactIdReport report, out ContactIdParseError? error)
    {
        report = default;
        if (text.Length != ReportLength && text.Length != BodyLength)
        {
            error = new ContactIdParseError("length", $"expected {BodyLength} or {ReportLength} characters, got {text.Length}");
            return false;
        }

        var body = text[..BodyLength];
        for (var i = 0; i < body.Length; i++)
        {
            if (DigitValue(body[i]) < 0)
            {
                error = new ContactIdParseError("non-digit", $"character {i + 1} is not a Contact ID digit");
                return false;
            }
        }

        char? checksum = null;
        if (text.Length == ReportLength)
        {
            var s = text[BodyLength];
            if (DigitValue(s) < 0)
            {
                error = new ContactIdParseError("non-digit", "the checksum is not a Contact ID digit");
                return false;
            }

            if (!IsChecksumValid(text))
            {
                error = new ContactIdParseError("checksum", $"checksum {(char)s} does not match, expected {(char)ComputeChecksum(body)}");
                return false;
            }

            checksum = (char)s;
        }

        return TryParseFields(
            account: body[..4], messageType: body.Slice(4, 2), qualifier: body[6], code: body.Slice(7, 3),
            group: body.Slice(10, 2), zone: body.Slice(12, 3), checksum, out report, out error);
    }

    /// <summary>Parses a report from a string (see the byte overload).</summary>
    public static bool TryParse(string text, out ContactIdReport report, out ContactIdParseError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> bytes = stackalloc byte[ReportLength + 1];
        if (text.Length > ReportLength || Encoding.ASCII.GetByteCount(text) != text.Length)
        {
            report = default;
            error = new ContactIdParseError("length", $"expected {BodyLength} or {ReportLength} ASCII characters");
            return false;
        }

        var n = Encoding.ASCII.GetBytes(text, bytes);
        return TryParse(bytes[..n], out report, out error);
    }

    /// <summary>
    /// Builds a report from fields that arrive already split (receiver serial outputs).
    /// Fields are ASCII digits; the account may hold hex digits B-F.
    /// </summary>
    internal static bool TryParseFields(
        ReadOnlySpan<byte> account, ReadOnlySpan<byte> messageType, byte qualifier, ReadOnlySpan<byte> code,
        ReadOnlySpan<byte> group, ReadOnlySpan<byte> zone, char? checksum,
        out ContactIdReport report, out ContactIdParseError? error)
    {
        report = default;
        error = null;
        if (account.Length != 4 || !AllContactIdDigits(account))
        {
            error = new ContactIdParseError("account", "the account must be 4 Contact ID digits");
            return false;
        }

        if (!TryDecimal(messageType, out var mt) || (mt != 18 && mt != 98))
        {
            error = new ContactIdParseError("message-type", "the message type must be 18 or 98");
            return false;
        }

        ContactIdQualifier q;
        switch (qualifier)
        {
            case (byte)'1': q = ContactIdQualifier.New; break;
            case (byte)'3': q = ContactIdQualifier.Restore; break;
            case (byte)'6': q = ContactIdQualifier.StillPresent; break;
            default:
                error = new ContactIdParseError("qualifier", "the qualifier must be 1 (new), 3 (restore) or 6 (still present)");
                return false;
        }

        if (code.Length != 3 || !TryDecimal(code, out var eventCode))
        {
            error = new ContactIdParseError("event-code", "the event code must be 3 decimal digits");
            return false;
        }

        if (group.Length != 2 || !TryDecimal(group, out var g))
        {
            error = new ContactIdParseError("group", "the group must be 2 decimal digits");
            return false;
        }

        if (zone.Length != 3 || !TryDecimal(zone, out var z))
        {
            error = new ContactIdParseError("zone", "the zone or user must be 3 decimal digits");
            return false;
        }

        report = new ContactIdReport(Encoding.ASCII.GetString(account), mt, q, eventCode, g, z, checksum);
        return true;
    }

    /// <summary>The value a Contact ID digit counts for the checksum, or -1 when it is not one.</summary>
    public static int DigitValue(byte c) => c switch
    {
        (byte)'0' => 10,
        >= (byte)'1' and <= (byte)'9' => c - '0',
        >= (byte)'B' and <= (byte)'F' => c - 'B' + 11,
        >= (byte)'b' and <= (byte)'f' => c - 'b' + 11,
        _ => -1,
    };

    /// <summary>The checksum character for a 15-digit body.</summary>
    public static byte ComputeChecksum(ReadOnlySpan<byte> body)
    {
        var sum = 0;
        foreach (var c in body)
        {
            var v = DigitValue(c);
            if (v < 0)
            {
                throw new ArgumentException($"'{(char)c}' is not a Contact ID digit", nameof(body));
            }

            sum += v;
        }

        var s = 15 - (sum % 15); // 1..15: a remainder of 0 gives 15, sent as F
        return s switch
        {
            10 => (byte)'0',
            < 10 => (byte)('0' + s),
            _ => (byte)('B' + s - 11),
        };
    }

    /// <summary>True when the digits of a full report (checksum included) sum to a multiple of 15.</summary>
    public static bool IsChecksumValid(ReadOnlySpan<byte> report)
    {
        if (report.Length != ReportLength)
        {
            return false;
        }

        var sum = 0;
        foreach (var c in report)
        {
            var v = DigitValue(c);
            if (v < 0)
            {
                return false;
            }

            sum += v;
        }

        return sum % 15 == 0;
    }

    /// <summary>Formats a report as 16 characters, checksum computed; throws when a field does not fit.</summary>
    public static string Format(ContactIdReport report) =>
        TryFormat(report, out var text)
            ? text
            : throw new ArgumentException($"the report's fields do not fit Contact ID widths: {report.Account}/{report.MessageType}/{report.Qualifier}/{report.EventCode}/{report.Group}/{report.ZoneOrUser}", nameof(report));

    /// <summary>Formats a report as 16 characters, checksum computed, when every field fits.</summary>
    public static bool TryFormat(ContactIdReport report, out string text)
    {
        text = "";
        if (report.Account is not { Length: 4 } account
            || report.MessageType is < 0 or > 99
            || !Enum.IsDefined(report.Qualifier)
            || report.EventCode is < 0 or > 999
            || report.Group is < 0 or > 99
            || report.ZoneOrUser is < 0 or > 999)
        {
            return false;
        }

        var body = string.Create(CultureInfo.InvariantCulture,
            $"{account}{report.MessageType:00}{(int)report.Qualifier}{report.EventCode:000}{report.Group:00}{report.ZoneOrUser:000}");
        Span<byte> bytes = stackalloc byte[BodyLength];
        if (body.Length != BodyLength || Encoding.ASCII.GetByteCount(body) != BodyLength)
        {
            return false;
        }

        Encoding.ASCII.GetBytes(body, bytes);
        foreach (var b in bytes)
        {
            if (DigitValue(b) < 0)
            {
                return false;
            }
        }

        text = body + (char)ComputeChecksum(bytes);
        return true;
    }

    private static bool AllContactIdDigits(ReadOnlySpan<byte> s)
    {
        foreach (var c in s)
        {
            if (DigitValue(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecimal(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
