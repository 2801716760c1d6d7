using Microsoft.Extensions.Options;
using Telecare.Core.Triage;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Health;
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
        services.AddSingleton<CallPanel>();
        services.AddSingleton<ConsoleMetrics>();
        services.AddHostedService<CallStartup>();
        services.AddHostedService<TimerService>();
        services.AddSingleton<SystemAlerts>();
        return builder;
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
