using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Ingress.Serial;

/// <summary>Runs one <see cref="SerialReceiverLink"/> per configured port; one port's trouble never stops another.</summary>
public sealed class SerialIngressService : BackgroundService
{
    public SerialIngressService(IOptions<SerialIngressOptions> options, ISignalSink sink, IngressHealth health, TimeProvider time, ILoggerFactory loggers)
    {
        Links = options.Value.Ports
            .Select(port => new SerialReceiverLink(port, sink, health, time, loggers.CreateLogger($"Telecare.Serial.{port.ReceiverId}")))
            .ToArray();
    }

    public IReadOnlyList<SerialReceiverLink> Links { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Links.Select(link => Task.Run(() => link.RunAsync(stoppingToken), stoppingToken)));
}

public static class SerialIngressExtensions
{
    public static IHostApplicationBuilder AddSerialIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SerialIngressOptions>(SerialIngressOptions.Section);
        builder.Services.AddSingleton<SerialIngressService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SerialIngressService>());
        return builder;
    }
}
