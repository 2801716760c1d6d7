using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Signals;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Telemetry;

public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelecareTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.Section);
        builder.Services.AddHostedService<OtlpExportService>();
        builder.Services.AddHostedService<QueueGauges>();
        return builder;
    }

    /// <summary>
    /// OpenTelemetry.Extensions.Hosting is not available here, so the meter provider is built with the SDK
    /// directly and lives as long as the host.
    /// </summary>
    private sealed class OtlpExportService(IOptions<TelemetryOptions> options, ILogger<OtlpExportService> logger) : IHostedService
    {
        private MeterProvider? _provider;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var endpoint = options.Value.OtlpEndpoint;
            if (string.IsNullOrWhiteSpace(endpoint))
            {
                return Task.CompletedTask;
            }

            _provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(SignalMetrics.MeterName, StoreMetrics.MeterName, "Telecare.*")
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri(endpoint);
                    exporter.Protocol = OtlpExportProtocol.Grpc;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.Value.ExportIntervalMilliseconds;
                })
                .Build();
            logger.LogInformation("Exporting metrics over OTLP to {Endpoint}", endpoint);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _provider?.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>Queue depths as observable gauges on the gateway meter.</summary>
    private sealed class QueueGauges(SignalMetrics metrics, StoreWriter writer) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            metrics.Meter.CreateObservableGauge("telecare.sink.queue_depth", () => writer.QueueDepth, "{write}", "Writes waiting for the store writer");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
