using Microsoft.Extensions.Options;
using Telecare.Core.Calls;
using Telecare.Gateway.Calls;
using Telecare.Gateway.Health;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Hubs;

public static class HubsExtensions
{
    /// <summary>The live consoles and phones: the SignalR hubs and the notifiers the calls and alerts push through.</summary>
    public static IHostApplicationBuilder AddConsoles(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ConsoleOptions>(ConsoleOptions.Section);
        services.AddSingleton<LivePush>();
        services.AddSingleton<DispatchConsoles>();
        services.AddSingleton<ICallNotifier>(provider => provider.GetRequiredService<DispatchConsoles>());
        services.AddSingleton<ISystemAlertNotifier>(provider => provider.GetRequiredService<DispatchConsoles>());
        services.AddSingleton<IResponderNotifier, ResponderPhones>();
        services.AddSignalR(options => options.MaximumReceiveMessageSize = 64 * 1024);
        return builder;
    }

    public static WebApplication MapConsoles(this WebApplication app)
    {
        // Bounded buffers each way and a send deadline per connection: a console that stops reading is dropped
        // (it reconnects and resyncs) instead of holding memory or slowing anyone else.
        var consoles = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        void Bounded(Microsoft.AspNetCore.Http.Connections.HttpConnectionDispatcherOptions options)
        {
            options.TransportMaxBufferSize = consoles.MaxBufferBytes;
            options.ApplicationMaxBufferSize = consoles.MaxBufferBytes;
            options.TransportSendTimeout = consoles.SendTimeout;
        }

        app.MapHub<DispatchHub>("/hubs/dispatch", Bounded);
        app.MapHub<ResponderHub>("/hubs/responder", Bounded);
        return app;
    }
}
