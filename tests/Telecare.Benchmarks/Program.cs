using BenchmarkDotNet.Running;

namespace Telecare.Benchmarks;

internal static class BenchmarkEntry
{
    public static async Task Main(string[] args)
    {
        // Console modes for figures BenchmarkDotNet does not measure well (latency at an offered rate).
        if (args.Length > 0 && args[0] == "sink-latency")
        {
            await SinkLatency.RunAsync(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "serial-latency")
        {
            await SerialLatency.RunAsync(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "call-latency")
        {
            await CallLatency.RunAsync(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "mqtt-compare")
        {
            await MqttCompare.RunAsync(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "mqtt-storm")
        {
            Environment.ExitCode = await MqttStorm.RunAsync(args[1..]);
            return;
        }

        // Helper processes of mqtt-compare and mqtt-storm.
        if (args.Length > 0 && args[0] == "mqtt-broker-alone")
        {
            await MqttBrokerAlone.RunAsync(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "mqtt-idle-clients")
        {
            await MqttIdleClients.RunAsync(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntry).Assembly).Run(args);
    }
}
