using System.Text;
using System.Text.Json.Nodes;

namespace Telecare.FirmwareSim.Fuzz;

/// <summary>
/// Turns a valid JSON body into a hostile one: fields dropped, retyped, nulled, made huge or deep; bytes flipped
/// (into invalid UTF-8 too); the body cut short; brackets nested past any sane depth. Seeded, so a failure repeats.
/// </summary>
public static class JsonBodyMutator
{
    public static byte[] Mutate(string seed, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                // Bytes flipped anywhere, including into invalid UTF-8.
                var bytes = Encoding.UTF8.GetBytes(seed);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 2:
                return Encoding.UTF8.GetBytes(new string('[', random.Next(10, 400)) + new string(']', random.Next(0, 400)));
            default:
                var node = JsonNode.Parse(seed)!;
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    MutateOne(node, random);
                }

                return Encoding.UTF8.GetBytes(node.ToJsonString());
        }
    }

    private static void MutateOne(JsonNode root, Random random)
    {
        var objects = new List<JsonObject>();
        void Collect(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                objects.Add(o);
                foreach (var (_, child) in o.ToList())
                {
                    Collect(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a.ToList())
                {
                    Collect(child);
                }
            }
        }

        Collect(root);
        var target = objects[random.Next(objects.Count)];
        var keys = target.Select(p => p.Key).ToList();
        if (keys.Count == 0)
        {
            target["extra"] = 1;
            return;
        }

        var key = keys[random.Next(keys.Count)];
        target[key] = random.Next(12) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
            2 => JsonValue.Create(1e308 * (random.Next(2) == 0 ? 10 : -10) is var d && double.IsFinite(d) ? d : 1.7976931348623157e308),
            3 => JsonValue.Create(new string('x', random.Next(1, 100_000))),
            4 => JsonValue.Create("\u0000\ud7ff\u202e\ufeff"),
            5 => new JsonArray(JsonValue.Create(1), JsonValue.Create("two"), null),
            6 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray() } },
            7 => JsonValue.Create(random.Next(2) == 0),
            8 => JsonValue.Create(""),
            9 => JsonValue.Create("-1"),
            10 => JsonValue.Create(long.MaxValue),
            _ => JsonValue.Create("2026-13-45T99:99:99Z"),
        };
        if (random.Next(6) == 0)
        {
            target.Remove(key);
        }
    }
}
