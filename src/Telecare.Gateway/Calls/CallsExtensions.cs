using Microsoft.Extensions.Options;
using Telecare.Core.Triage;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Hubs;

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
        services.AddSingleton<AssignmentService>();
        services.AddSingleton<ConsoleMetrics>();
        services.AddHostedService<TriageWorker>();
        services.AddHostedService<TimerService>();
        services.AddSignalR(options => options.MaximumReceiveMessageSize = 64 * 1024);
        return builder;
    }

    public static WebApplication MapCalls(this WebApplication app)
    {
        CallEndpoints.Map(app.MapGroup("/api/v1"));
        ReportEndpoints.Map(app.MapGroup("/api/v1"));
        app.MapHub<DispatchHub>("/hubs/dispatch");
        app.MapHub<ResponderHub>("/hubs/responder");
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
