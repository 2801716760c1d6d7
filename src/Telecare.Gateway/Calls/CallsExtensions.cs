using Microsoft.Extensions.Options;
using Telecare.Core.Triage;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Hubs;
using Telecare.Gateway.Signals;

namespace Telecare.Gateway.Calls;

public static class CallsExtensions
{
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<CallOptions>(CallOptions.Section);
        // The rules compile at start; a bad rule stops the start with a message naming it and its field.
        services.AddOptions<TriageOptions>().BindConfiguration(TriageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TriageOptions>, TriageRulesValidator>();
        services.AddSingleton(provider => TriageRuleCompiler.Compile(provider.GetRequiredService<IOptions<TriageOptions>>().Value));
        services.AddSingleton<CallDirectory>();
        services.AddSingleton<CallService>();
        services.AddSingleton<ISignalTriage>(provider => provider.GetRequiredService<CallService>());
        services.AddSingleton<AssignmentService>();
        services.AddSingleton<ConsoleMetrics>();
        services.AddHostedService<CallStartup>();
        services.AddHostedService<TimerService>();
        services.AddValidatedOptions<ConsoleOptions>(ConsoleOptions.Section);
        services.AddSingleton<LivePush>();
        services.AddSingleton<DispatchConsoles>();
        services.AddSingleton<SystemAlerts>();
        services.AddSignalR(options => options.MaximumReceiveMessageSize = 64 * 1024);
        return builder;
    }

    public static WebApplication MapCalls(this WebApplication app)
    {
        CallEndpoints.Map(app.MapGroup("/api/v1"));
        ReportEndpoints.Map(app.MapGroup("/api/v1"));
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

    private sealed class TriageRulesValidator : IValidateOptions<TriageOptions>
    {
        public ValidateOptionsResult Validate(string? name, TriageOptions options)
        {
            try
            {
                TriageRuleCompiler.Compile(options);
                return ValidateOptionsResult.Success;
            }
            catch (TriageRuleException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
