using System.Net;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Signals;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// Embedded mode: runs the gateway's own MQTT broker for its devices — plain (<see cref="HealthName"/>), TLS
/// (<see cref="TlsHealthName"/>) or both, one broker with one set of sessions — and reports each listener to readiness.
/// </summary>
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
    public const string TlsHealthName = "mqtt-tls";
    private readonly LogThrottle _warnings = new(message => LogCut(logger, message), time, perWindow: 20, window: TimeSpan.FromSeconds(10),
        suppressed => LogCutSuppressed(logger, suppressed));
    private MqttBroker? _broker;
    private MqttTlsCertificate? _certificate;
    private string[] _listeners = [];

    /// <summary>Where the plain listener listens (the real port when configured with 0); null when only TLS is served.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Where the TLS listener listens; null without TLS.</summary>
    public IPEndPoint? TlsLocalEndPoint => _broker?.TlsLocalEndPoint;

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

        var tls = settings.Tls.Enabled ? settings.Tls : null;
        _listeners = tls is null ? [HealthName] : tls.RequireTls ? [TlsHealthName] : [HealthName, TlsHealthName];
        foreach (var listener in _listeners)
        {
            health.Register(listener, time.GetUtcNow());
        }

        if (settings.ConformanceMode)
        {
            LogConformanceMode(logger);
        }

        var address = IPAddress.Parse(settings.Address);
        var plain = new IPEndPoint(address, settings.Port);
        if (tls is not null)
        {
            _certificate = MqttTlsCertificate.Load(tls);
            var certificate = _certificate.Certificate;
            LogCertificate(logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime(), _certificate.Chain.Count);
            if (certificate.NotAfter.ToUniversalTime() < time.GetUtcNow().UtcDateTime.AddDays(14))
            {
                LogCertificateExpiring(logger, certificate.Subject, certificate.NotAfter.ToUniversalTime());
            }
        }

        _broker = new MqttBroker(new MqttBrokerOptions
        {
            // Only TLS: the one listener is on the TLS port and speaks TLS; otherwise TLS is a second listener.
            Endpoint = tls is { RequireTls: true } ? new IPEndPoint(address, tls.Port) : plain,
            TlsEndpoint = tls is { RequireTls: false } ? new IPEndPoint(address, tls.Port) : null,
            Certificate = _certificate?.Certificate,
            CertificateChain = _certificate?.Chain,
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
        LocalEndPoint = tls is { RequireTls: true } ? null : _broker.LocalEndPoint;
        metrics.Meter.CreateObservableGauge("telecare.mqtt.connections", () => _broker?.ConnectionCount ?? 0, "{connection}", "Connected MQTT devices");
        if (LocalEndPoint is { } plainBound)
        {
            health.Report(HealthName, true, null, time.GetUtcNow());
            LogListening(logger, plainBound.ToString());
        }

        if (_broker.TlsLocalEndPoint is { } tlsBound)
        {
            health.Report(TlsHealthName, true, null, time.GetUtcNow());
            LogListeningTls(logger, tlsBound.ToString());
        }

        // A new broker holds no retained messages: every device's config is published again.
        outbox.RepublishAllConfigs();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is null)
        {
            return;
        }

        notifier.Broker = null;
        foreach (var listener in _listeners)
        {
            health.Report(listener, false, "stopped", time.GetUtcNow());
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is { } broker)
        {
            _broker = null;
            await broker.DisposeAsync();
        }

        _certificate?.Dispose();
        _certificate = null;
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "MQTT broker listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "MQTT broker listening for TLS on {EndPoint}")]
    private static partial void LogListeningTls(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "MQTT TLS certificate {Subject} (thumbprint {Thumbprint}), valid until {NotAfter:u}, {Intermediates} intermediate(s)")]
    private static partial void LogCertificate(ILogger logger, string subject, string thumbprint, DateTime notAfter, int intermediates);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "MQTT TLS certificate {Subject} is valid only until {NotAfter:u}: renew it, devices refuse it once it has expired")]
    private static partial void LogCertificateExpiring(ILogger logger, string subject, DateTime notAfter);

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
