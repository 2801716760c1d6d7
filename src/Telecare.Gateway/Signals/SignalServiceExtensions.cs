using Telecare.Core.Signals;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Signals;

public static class SignalServiceExtensions
{
    /// <summary>The signal sink every ingress ends in (triage is registered with the calls).</summary>
    public static IHostApplicationBuilder AddSignalSink(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SignalOptions>(SignalOptions.Section);
        builder.Services.AddSingleton<SignalMetrics>();
        builder.Services.AddSingleton<SignalSink>();
        builder.Services.AddSingleton<ISignalSink>(provider => provider.GetRequiredService<SignalSink>());
        return builder;
    }
}
