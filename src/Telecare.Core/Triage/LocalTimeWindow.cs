using System.Globalization;

namespace Telecare.Core.Triage;

/// <summary>
/// A daily window of local wall-clock time, e.g. "22:00-07:00". Start is inclusive, end exclusive; a window
/// whose end is before its start runs across midnight. Evaluated on local wall time, so a clock change
/// moves the window with the clocks, which is what people mean by "at night".
/// </summary>
public readonly record struct LocalTimeWindow(int StartMinute, int EndMinute)
{
    public bool CrossesMidnight => EndMinute < StartMinute;

    public TimeSpan Length => TimeSpan.FromMinutes(CrossesMidnight ? 1440 - StartMinute + EndMinute : EndMinute - StartMinute);

    public bool Contains(int minuteOfDay) =>
        CrossesMidnight
            ? minuteOfDay >= StartMinute || minuteOfDay < EndMinute
            : minuteOfDay >= StartMinute && minuteOfDay < EndMinute;

    /// <summary>Whether the instant falls inside the window in the given zone's local time.</summary>
    public bool Contains(DateTimeOffset instant, TimeZoneInfo timeZone) => Contains(MinuteOfDay(instant, timeZone));

    public static int MinuteOfDay(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, timeZone);
        return local.Hour * 60 + local.Minute;
    }

    /// <summary>Parses "HH:mm-HH:mm". Start and end must differ (a whole-day window is no window).</summary>
    public static bool TryParse(string? text, out LocalTimeWindow window, out string reason)
    {
        window = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "is empty; expected \"HH:mm-HH:mm\"";
            return false;
        }

        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            reason = $"'{text}' has no '-'; expected \"HH:mm-HH:mm\" such as \"22:00-07:00\"";
            return false;
        }

        if (!TryParseClock(text.AsSpan(0, dash).Trim(), out var start) || !TryParseClock(text.AsSpan(dash + 1).Trim(), out var end))
        {
            reason = $"'{text}' is not \"HH:mm-HH:mm\" with times from 00:00 to 23:59";
            return false;
        }

        if (start == end)
        {
            reason = $"'{text}' starts and ends at the same time; leave the window out to match all day";
            return false;
        }

        window = new LocalTimeWindow(start, end);
        reason = "";
        return true;
    }

    /// <summary>Parses "HH:mm" into minutes after midnight.</summary>
    public static bool TryParseClock(ReadOnlySpan<char> text, out int minuteOfDay)
    {
        minuteOfDay = 0;
        if (!TimeOnly.TryParseExact(text, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        minuteOfDay = time.Hour * 60 + time.Minute;
        return true;
    }

    public override string ToString() =>
        $"{StartMinute / 60:00}:{StartMinute % 60:00}-{EndMinute / 60:00}:{EndMinute % 60:00}";
}
