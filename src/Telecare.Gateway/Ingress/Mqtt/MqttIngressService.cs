using System.Net;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Signals;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Runs the embedded MQTT broker for the gateway's devices and reports it to readiness.</summary>
public sealed partial class MqttIngressService(
    IOptions<MqttIngressOptions> options,
    MqttDeviceHandler handler,
    IngressHealth health,
    SignalMetrics metrics,
    TimeProvider time,
    ILogger<MqttIngressService> logger) : IHostedService, IAsyncDisposable
{
    private const string HealthName = "mqtt";
    private MqttBroker? _broker;

    /// <summary>Where the broker listens (the real port when configured with 0).</summary>
    public IPEndPoint? LocalEndPoint => _broker?.LocalEndPoint;

    public int ConnectionCount => _broker?.ConnectionCount ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode == "Off")
        {
            return;
        }

        health.Register(HealthName, time.GetUtcNow());
        if (settings.ConformanceMode)
        {
            LogConformanceMode(logger);
        }

        _broker = new MqttBroker(new MqttBrokerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Parse(settings.Address), settings.Port),
            MaxConnections = settings.MaxConnections,
            MaxPacketSize = settings.MaxPacketSize,
            ConformanceMode = settings.ConformanceMode,
            Log = message => LogBroker(logger, message),
        }, handler, time);
        handler.Broker = _broker;
        await _broker.StartAsync(cancellationToken);
        metrics.Meter.CreateObservableGauge("telecare.mqtt.connections", () => _broker?.ConnectionCount ?? 0, "{connection}", "Connected MQTT devices");
        health.Report(HealthName, true, null, time.GetUtcNow());
        LogListening(logger, _broker.LocalEndPoint?.ToString() ?? "?");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        health.Report(HealthName, false, "stopped", time.GetUtcNow());
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is { } broker)
        {
            _broker = null;
            await broker.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "MQTT broker listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Critical, Message = "MQTT CONFORMANCE MODE IS ON: anonymous clients, no ACL, any topic. Never run it with real devices.")]
    private static partial void LogConformanceMode(ILogger logger);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "MQTT broker: {Message}")]
    private static partial void LogBroker(ILogger logger, string message);
}

public static class MqttIngressExtensions
{
    public static IHostApplicationBuilder AddMqttIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MqttIngressOptions>(MqttIngressOptions.Section);
        builder.Services.AddSingleton<MqttDeviceHandler>();
        builder.Services.AddSingleton<MqttIngressService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MqttIngressService>());
        return builder;
    }
}
