using System.Globalization;

namespace Telecare.Benchmarks;

/// <summary>How a load is spread: so many device connections, each keeping up to <see cref="Window"/> QoS 1 publishes in flight.</summary>
internal sealed record MqttLoadShape(int Connections, int Window)
{
    /// <summary>"8x16": 8 connections, window 16.</summary>
    public static MqttLoadShape Parse(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var connections) || connections is < 1 or > 5_000
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window is < 1 or > 20)
        {
            // Up to 5,000 connections fit beside the benchmark's own files; mosquitto lets a client have 20 in flight.
            throw new FormatException($"a shape is CONNECTIONSxWINDOW with 1-5000 connections and a window of 1-20, not '{text}'");
        }

        return new MqttLoadShape(connections, window);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Connections:#,0} connections × window {Window}");
}
