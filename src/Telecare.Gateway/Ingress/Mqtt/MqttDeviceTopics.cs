namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>The topic names of the MQTT device contract (README "Configuration", the MQTT device paragraphs): <c>telecare/v1/{deviceId}/{kind}</c>.</summary>
public static class MqttDeviceTopics
{
    public const string Root = "telecare/v1/";

    /// <summary>The group several gateways share the device traffic in (External mode).</summary>
    public const string SharedGroup = "telecare-gateway";

    /// <summary>What the gateway subscribes to on an external broker: each message goes to one gateway of the group.</summary>
    public static IReadOnlyList<string> SharedFilters { get; } =
        [.. new[] { "event", "heartbeat", "status" }.Select(kind => $"$share/{SharedGroup}/{Root}+/{kind}")];

    public static string Prefix(string deviceId) => $"{Root}{deviceId}/";

    public static string Ack(string deviceId) => $"{Root}{deviceId}/ack";

    public static string Config(string deviceId) => $"{Root}{deviceId}/config";

    /// <summary>The gateway's own topics under a device's prefix: the device reads them and must not write them.</summary>
    public static bool IsGatewayKind(string kind) => kind is "ack" or "config";

    /// <summary>Splits <c>telecare/v1/{deviceId}/{kind}</c>; false for anything else.</summary>
    public static bool TryParse(string topic, out string deviceId, out string kind)
    {
        deviceId = kind = "";
        if (!topic.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(Root.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }

        deviceId = rest[..slash].ToString();
        kind = rest[(slash + 1)..].ToString();
        return true;
    }
}
