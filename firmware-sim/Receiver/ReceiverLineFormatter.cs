using System.Globalization;
using System.Text;
using Telecare.Protocols.Receivers;

namespace Telecare.FirmwareSim.Receiver;

/// <summary>
/// Writes lines the way the receivers print them. Written from the format description on its own,
/// not through the gateway's codec, so the end-to-end tests check one against the other.
/// </summary>
public static class ReceiverLineFormatter
{
    private const char Dc4 = '\u0014';

    /// <summary>The message text without framing.</summary>
    public static string EventText(ReceiverEmulatorOptions o, ReceiverEmulatorEvent e)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(e);
        if (e.Account.Length != 4)
        {
            throw new ArgumentException("a Contact ID account is 4 characters", nameof(e));
        }

        var inv = CultureInfo.InvariantCulture;
        return o.Dialect switch
        {
            // 5 RR L space 18 AAAA Q XYZ GG CCC; Q as a letter.
            ReceiverDialect.SurGardMlr2 => string.Create(inv,
                $"5{o.Receiver}{o.Line} 18{e.Account}{QualifierLetter(e.Qualifier)}{e.Code:000}{e.Group:00}{e.Zone:000}"),

            // RRL AAAA 18 QXYZ GG UCCC; Q as the Contact ID digit, C zone / U user.
            _ => string.Create(inv,
                $"{o.Receiver}{o.Line} {e.Account} 18 {(int)e.Qualifier}{e.Code:000} {e.Group:00} {(e.ZoneIsUser ? 'U' : 'C')}{e.Zone:000}"),
        };
    }

    /// <summary>The heartbeat text without framing.</summary>
    public static string HeartbeatText(ReceiverEmulatorOptions o) => o.Dialect switch
    {
        ReceiverDialect.SurGardMlr2 => $"1{o.Receiver}{o.Line}{new string(' ', 11)}@{new string(' ', 4)}",
        _ => $"{o.Receiver} OKAY @ ",
    };

    /// <summary>A framed line holding <paramref name="copies"/> copies of <paramref name="text"/>.</summary>
    public static byte[] Frame(ReceiverDialect dialect, string text, int copies = 1)
    {
        var body = string.Concat(Enumerable.Repeat(text, Math.Max(1, copies)));
        var framed = dialect == ReceiverDialect.SurGardMlr2
            ? body + Dc4
            : string.Concat(Enumerable.Repeat("\n" + text, Math.Max(1, copies))) + "\r";
        return Encoding.ASCII.GetBytes(framed);
    }

    private static char QualifierLetter(ContactIdQualifier q) => q switch
    {
        ContactIdQualifier.New => 'E',
        ContactIdQualifier.Restore => 'R',
        _ => 'P',
    };
}
