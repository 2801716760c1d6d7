using System.Net;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Signals;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>Embedded mode: runs the gateway's own MQTT broker for its devices and reports it to readiness.</summary>
public sealed partial class MqttIngressService(
    IOptions<MqttIngressOptions> options,
    MqttDeviceHandler handler,
    MqttEmbeddedNotifier notifier,
    DeviceOutboxService outbox,
    IngressHealth health,
    SignalMetrics metrics,
    TimeProvider time,
    ILogger<MqttIngressService> logger) : IHostedService, IAsyncDisposable
{
    public const string HealthName = "mqtt";
    private readonly LogThrottle _warnings = new(message => LogCut(logger, message), time, perWindow: 20, window: TimeSpan.FromSeconds(10),
        suppressed => LogCutSuppressed(logger, suppressed));
    private MqttBroker? _broker;

    /// <summary>Where the broker listens (the real port when configured with 0).</summary>
    public IPEndPoint? LocalEndPoint => _broker?.LocalEndPoint;

    public int ConnectionCount => _broker?.ConnectionCount ?? 0;

    /// <summary>Sockets that have not finished CONNECT.</summary>
    public int PendingConnectionCount => _broker?.PendingConnectionCount ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode != MqttIngressOptions.EmbeddedMode)
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
            MaxPendingConnections = settings.MaxPendingConnections,
            ConnectTimeout = TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds),
            MaxKeepAlive = TimeSpan.FromSeconds(settings.MaxKeepAliveSeconds),
            MaxPacketSize = settings.MaxPacketSize,
            ConformanceMode = settings.ConformanceMode,
            Log = message => LogBroker(logger, message),
            LogWarning = _warnings.Write,
        }, handler, time);
        notifier.Broker = _broker;
        await _broker.StartAsync(cancellationToken);
        metrics.Meter.CreateObservableGauge("telecare.mqtt.connections", () => _broker?.ConnectionCount ?? 0, "{connection}", "Connected MQTT devices");
        health.Report(HealthName, true, null, time.GetUtcNow());
        // A new broker holds no retained messages: every device's config is published again.
        outbox.RepublishAllConfigs();
        LogListening(logger, _broker.LocalEndPoint?.ToString() ?? "?");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is null)
        {
            return;
        }

        notifier.Broker = null;
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

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "MQTT client refused or cut: {Message}")]
    private static partial void LogCut(ILogger logger, string message);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "MQTT: {Count} more clients refused or cut in the last few seconds (not logged one by one)")]
    private static partial void LogCutSuppressed(ILogger logger, int count);
}

public static class MqttIngressExtensions
{
    public static IHostApplicationBuilder AddMqttIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MqttIngressOptions>(MqttIngressOptions.Section);
        builder.Services.AddSingleton<MqttSignalIntake>();
        builder.Services.AddSingleton<MqttEmbeddedNotifier>();
        builder.Services.AddSingleton<MqttExternalNotifier>();
        // The mode is read when the notifier is first needed, after configuration (and test overrides) is final.
        builder.Services.AddSingleton<IDeviceNotifier>(provider =>
            provider.GetRequiredService<IOptions<MqttIngressOptions>>().Value.Mode == MqttIngressOptions.ExternalMode
                ? provider.GetRequiredService<MqttExternalNotifier>()
                : provider.GetRequiredService<MqttEmbeddedNotifier>());
        builder.Services.AddSingleton<DeviceOutboxService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DeviceOutboxService>());
        builder.Services.AddSingleton<MqttDeviceHandler>();
        builder.Services.AddSingleton<MqttIngressService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MqttIngressService>());
        builder.Services.AddSingleton<MqttExternalIngressService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MqttExternalIngressService>());
        return builder;
    }
}
