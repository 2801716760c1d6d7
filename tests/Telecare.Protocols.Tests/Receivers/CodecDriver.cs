using System.Buffers;
using System.Text;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

/// <summary>Feeds a codec the way the read loop does: parse while possible, keep the rest, append more.</summary>
internal static class CodecDriver
{
    public static List<string> ReadAll(IReceiverCodec codec, params byte[][] deliveries)
    {
        var results = new List<string>();
        var pending = Array.Empty<byte>();
        foreach (var chunk in deliveries)
        {
            var buffer = SequenceOf.Segments(pending, chunk);
            var guard = 0;
            while (codec.TryRead(ref buffer, out var r))
            {
                results.Add(Describe(r));
                Assert.True(++guard < 100_000, "the codec stopped making progress");
            }

            pending = buffer.ToArray();
        }

        return results;
    }

    public static string Describe(ReceiverReadResult r)
    {
        if (r.Frame is { } f)
        {
            var text = Encoding.ASCII.GetString(f.Raw.Span);
            return $"{f.Kind}|{f.Format}|rx={f.Receiver}|line={f.Line}|acct={f.Account}|q={f.Qualifier}|code={f.EventCode}|sia={f.SiaCode}|g={f.Group}|z={f.Zone}|user={f.ZoneIsUser}|copies={f.Copies}|eol={r.EndOfLine}|raw={Escape(text)}";
        }

        return $"Malformed|{r.Malformed!.Reason}|eol={r.EndOfLine}|len={r.Malformed.Raw.Length}";
    }

    public static string Escape(string s) =>
        s.Replace("\u0014", "<DC4>").Replace("\r", "<CR>").Replace("\n", "<LF>");

    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);
}
