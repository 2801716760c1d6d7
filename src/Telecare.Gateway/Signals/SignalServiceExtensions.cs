using Telecare.Core.Signals;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Signals;

public static class SignalServiceExtensions
{
    /// <summary>The signal sink every ingress ends in, and the queue of committed signals for triage.</summary>
    public static IHostApplicationBuilder AddSignalSink(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SignalOptions>(SignalOptions.Section);
        builder.Services.AddSingleton<SignalMetrics>();
        builder.Services.AddSingleton<TriageQueue>();
        builder.Services.AddSingleton(provider => provider.GetRequiredService<TriageQueue>().Reader);
        builder.Services.AddSingleton<SignalSink>();
        builder.Services.AddSingleton<ISignalSink>(provider => provider.GetRequiredService<SignalSink>());
        return builder;
    }
}
