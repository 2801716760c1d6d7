using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Health;
using Telecare.Protocols.Mqtt;

namespace Telecare.Gateway.Ingress.Mqtt;

/// <summary>
/// External mode: the gateway is a client of the devices' broker. It keeps a persistent session (messages for it
/// queue at the broker while it is away), takes its share of the device topics through a shared subscription, and
/// acknowledges each message only after the durable commit (our client sends PUBACK/PUBREC when the handler finishes).
/// Readiness ("mqtt") is up only while connected and subscribed.
/// </summary>
public sealed partial class MqttExternalIngressService(
    IOptions<MqttIngressOptions> options,
    MqttSignalIntake intake,
    MqttExternalNotifier notifier,
    DeviceOutboxService outbox,
    IngressHealth health,
    TimeProvider time,
    ILogger<MqttExternalIngressService> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _sync = new();
    private MqttClient? _client;
    private Task _connecting = Task.CompletedTask;
    private long _generation;
    private bool _subscribed;

    /// <summary>Connected to the broker with every device subscription granted.</summary>
    public bool IsSubscribed
    {
        get
        {
            lock (_sync)
            {
                return _subscribed;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Mode != MqttIngressOptions.ExternalMode)
        {
            return Task.CompletedTask;
        }

        health.Register(MqttIngressService.HealthName, time.GetUtcNow());
        var external = settings.External;
        var client = new MqttClient(new MqttClientOptions
        {
            Host = external.Host!,
            Port = external.Port,
            UseTls = external.UseTls,
            TlsOptions = external.UseTls ? Tls(external) : null,
            ProtocolVersion = MqttProtocolVersion.V500,
            ClientId = external.EffectiveClientId,
            Username = string.IsNullOrEmpty(external.Username) ? null : external.Username,
            Password = string.IsNullOrEmpty(external.Password) ? null : external.Password,
            KeepAliveSeconds = (ushort)external.KeepAliveSeconds,
            CleanStart = false,
            SessionExpirySeconds = (uint)external.SessionExpirySeconds,
            ReceiveMaximum = (ushort)external.ReceiveMaximum,
            Limits = MqttCodecLimits.Default with { MaxRemainingLength = settings.MaxPacketSize },
            ReconnectMinDelay = FirstRetry,
            ReconnectMaxDelay = LastRetry,
            MessageHandler = OnMessageAsync,
            Log = message => LogClient(logger, message),
        }, time);
        client.Connected += OnConnected;
        client.Disconnected += OnDisconnected;
        _client = client;
        notifier.Client = client;

        // The broker may be down when the gateway starts: keep trying in the background, readiness says so meanwhile.
        _connecting = ConnectAsync(client, external, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _connecting;
        await DisposeAsync();
        health.Report(MqttIngressService.HealthName, false, "stopped", time.GetUtcNow());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            notifier.Client = null;
            _stopping.Cancel();
            // DISCONNECT without a will: the broker keeps the session and queues this gateway's share until it is back.
            await client.DisposeAsync();
        }
    }

    private async Task ConnectAsync(MqttClient client, MqttExternalOptions external, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // From here on the client reconnects by itself (jittered back-off) and raises Connected each time.
                await client.ConnectAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectFailed(logger, external.Host!, external.Port, ex.Message);
                health.Report(MqttIngressService.HealthName, false, $"cannot connect to {external.Host}:{external.Port}: {ex.Message}", time.GetUtcNow());
            }

            try
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnConnected(MqttConnAckPacket ack)
    {
        long generation;
        lock (_sync)
        {
            generation = ++_generation;
            _subscribed = false;
        }

        health.Report(MqttIngressService.HealthName, false, "subscribing", time.GetUtcNow());
        _ = SubscribeAsync(generation, ack.SessionPresent);
    }

    /// <summary>
    /// Subscribes after every connect, even when the broker kept the session: mosquitto 2.0 restores a persistent
    /// session from its file without its shared subscriptions. Subscribing again to the same filter only replaces it.
    /// </summary>
    private async Task SubscribeAsync(long generation, bool sessionPresent)
    {
        var client = _client;
        if (client is null)
        {
            return;
        }

        try
        {
            var filters = MqttDeviceTopics.SharedFilters;
            var codes = await client.SubscribeAsync([.. filters.Select(f => new MqttSubscription(f, MqttQos.AtLeastOnce))], _stopping.Token);
            var refused = filters.Where((_, i) => i >= codes.Count || (byte)codes[i] >= 0x80).ToArray();
            if (refused.Length > 0)
            {
                LogSubscribeRefused(logger, string.Join(", ", refused));
                health.Report(MqttIngressService.HealthName, false, $"the broker refused {string.Join(", ", refused)}", time.GetUtcNow());
                return;
            }

            lock (_sync)
            {
                // A connection lost meanwhile has already reported down; its late SUBACK must not report up.
                if (generation != _generation)
                {
                    return;
                }

                _subscribed = true;
                health.Report(MqttIngressService.HealthName, true, null, time.GetUtcNow());
            }

            LogSubscribed(logger, client.ClientId, sessionPresent);
            // The broker may have restarted without its retained messages; publishing the same config again is harmless.
            outbox.RepublishAllConfigs();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went before the SUBACK; the next connect subscribes again.
            LogSubscribeFailed(logger, ex.Message);
        }
    }

    private void OnDisconnected(Exception? failure)
    {
        lock (_sync)
        {
            _generation++;
            _subscribed = false;
            health.Report(MqttIngressService.HealthName, false, "disconnected from the broker", time.GetUtcNow());
        }

        if (!_stopping.IsCancellationRequested)
        {
            LogDisconnected(logger, failure?.Message ?? "closed");
        }
    }

    private ValueTask<MqttPublishOutcome> OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (!MqttDeviceTopics.TryParse(message.Topic, out var deviceId, out var kind))
        {
            // Only the device topics are subscribed; anything else has no device to store it for.
            LogUnexpectedTopic(logger, message.Topic);
            return new(MqttPublishOutcome.Success);
        }

        return intake.AcceptAsync(deviceId, kind, message, cancellationToken);
    }

    /// <summary>Exponential back-off with jitter, so a restarted fleet of gateways does not dial in lock-step.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(LastRetry.TotalMilliseconds, FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static SslClientAuthenticationOptions Tls(MqttExternalOptions external)
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = external.Host };
        if (external.CaFile is { Length: > 0 } caFile)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A private CA for a broker seldom publishes revocation lists.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.ImportFromPemFile(caFile);
            tls.CertificateChainPolicy = policy;
        }

        return tls;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Cannot connect to the MQTT broker {Host}:{Port}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "Subscribed to the device topics as {ClientId} (session kept by the broker: {SessionPresent})")]
    private static partial void LogSubscribed(ILogger logger, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Error, Message = "The MQTT broker refused the subscription to {Filters}: check the gateway's ACL there")]
    private static partial void LogSubscribeRefused(ILogger logger, string filters);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Warning, Message = "Subscribing to the device topics failed: {Reason}")]
    private static partial void LogSubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7205, Level = LogLevel.Warning, Message = "Lost the MQTT broker connection ({Reason}); reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 7206, Level = LogLevel.Warning, Message = "MQTT message on unexpected topic '{Topic}' ignored")]
    private static partial void LogUnexpectedTopic(ILogger logger, string topic);

    [LoggerMessage(EventId = 7207, Level = LogLevel.Debug, Message = "MQTT client: {Message}")]
    private static partial void LogClient(ILogger logger, string message);
}
