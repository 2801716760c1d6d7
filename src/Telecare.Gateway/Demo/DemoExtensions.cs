using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Demo;

public static class DemoExtensions
{
    public const string Flag = "--demo";

    /// <summary>The arguments without `--demo`: the command-line configuration parser would pair it with the next switch.</summary>
    public static string[] WithoutFlag(string[] args) => [.. args.Where(a => a != Flag)];

    /// <summary>`--demo` on the command line (or Demo=true in configuration) seeds the demo data set at start.</summary>
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder, string[] args)
    {
        var requested = args.Contains(Flag, StringComparer.Ordinal);
        builder.Services.AddValidatedOptions<DemoOptions>(DemoOptions.Section);
        // Decided at start, not here, so configuration added later (environment, tests) is seen too.
        builder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<DemoSeeder>(provider,
            new DemoSwitch(requested || provider.GetRequiredService<IConfiguration>().GetValue<bool>("Demo"))));
        return builder;
    }
}

/// <summary>Whether this start runs in demo mode.</summary>
public sealed record DemoSwitch(bool Enabled);
