namespace Telecare.Protocols.Tests.Receivers;

/// <summary>Recorded-style receiver output for both dialects, with noise, glue and bad lines mixed in.</summary>
internal static class ReceiverFixtures
{
    private const string Dc4 = "\u0014";
    private static readonly string SurGardHeartbeat = "1011" + new string(' ', 11) + "@" + new string(' ', 4);

    public static readonly (string Name, string Text)[] SurGard =
    [
        ("event", "5011 181234E10101001" + Dc4),
        ("restore", "5011 181234R10101001" + Dc4),
        ("heartbeat", SurGardHeartbeat + Dc4),
        ("sia", "3011    001234FA0012" + Dc4),
        ("glued", "5011 181234E10101001" + "5011 181234E10101001" + Dc4),
        ("noise", "\0\u00ff~~5011 185678E11103004" + Dc4),
        ("mixed", "5011 181234E10101001" + Dc4 + "junk" + Dc4 + SurGardHeartbeat + Dc4 + "5012 189999E16201000\r\n" + Dc4),
        ("two-different", "5011 181234E10101001 5011 181234E11101002" + Dc4),
    ];

    public static readonly (string Name, string Text)[] Ademco =
    [
        ("event", "\n011 1234 18 1101 01 C001\r"),
        ("user-restore", "\n011 1234 18 3401 01 U007\r"),
        ("heartbeat", "\n00 OKAY @ \r"),
        ("link-test", "\n\r"),
        ("glued", "\n011 1234 18 1101 01 C001\n011 1234 18 1101 01 C001\r"),
        ("noise", "\u0007\u0000xx\n011 4321 18 1602 00 C000\r"),
        ("mixed", "\n011 1234 18 1101 01 C001\r\nbad line\r\n00 OKAY @ \r\n011 1234 18 1154 02 C003\r"),
    ];
}
