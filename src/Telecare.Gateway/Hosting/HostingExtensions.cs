using Microsoft.Extensions.Configuration.Json;
using Serilog;
using Serilog.Extensions.Logging;

namespace Telecare.Gateway.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// The root appsettings.json as the one configuration file (environment variables, the command line and test
    /// overrides still win), and Serilog configured from the final configuration.
    /// </summary>
    public static TelecarePaths AddTelecareHosting(this WebApplicationBuilder builder)
    {
        var paths = TelecarePaths.Discover(builder.Environment.ContentRootPath);
        if (paths.ConfigurationFile is not null)
        {
            // Insert the root file where the content-root appsettings.json would sit, so that later sources
            // (environment-specific files, environment variables, command line) override it.
            var sources = builder.Configuration.Sources;
            var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource);
            var source = new JsonConfigurationSource { Path = paths.ConfigurationFile, Optional = false, ReloadOnChange = false };
            source.ResolveFileProvider();
            sources.Insert(index < 0 ? 0 : index, source);
        }

        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(TimeProvider.System);
        // A loop that escapes with an exception ends the process (a supervisor restarts it) rather than living on
        // without its timers or triage; the loops themselves ride out transient failures (LoopPolicy).
        builder.Services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);

        // Built lazily from the final configuration, so test and command-line overrides apply to logging too.
        builder.Logging.ClearProviders();
        builder.Logging.Services.AddSingleton<ILoggerProvider>(services =>
            new SerilogLoggerProvider(CreateLogger(services.GetRequiredService<IConfiguration>(), paths), dispose: true));
        return paths;
    }

    private static Serilog.Core.Logger CreateLogger(IConfiguration configuration, TelecarePaths paths)
    {
        // File sinks' relative paths follow the same root as the data folder, wherever the process was started.
        var overrides = new Dictionary<string, string?>();
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            var path = sink["Args:path"];
            if (!string.IsNullOrEmpty(path) && !Path.IsPathRooted(path))
            {
                overrides[$"{sink.Path}:Args:path"] = paths.Resolve(path);
            }
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        return new LoggerConfiguration()
            .ReadFrom.Configuration(effective)
            .Enrich.FromLogContext()
            .CreateLogger();
    }
}
