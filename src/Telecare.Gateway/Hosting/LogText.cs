using System.Globalization;
using System.Text;

namespace Telecare.Gateway.Hosting;

/// <summary>
/// Text a caller chose (a user name typed at sign-in, an MQTT client's user name) made safe to log: control and
/// invisible formatting characters become \uXXXX, so nobody can forge a log line or hide text in one; long values
/// are cut.
/// </summary>
public static class LogText
{
    public const int MaxLength = 100;

    public static string Safe(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length > MaxLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
