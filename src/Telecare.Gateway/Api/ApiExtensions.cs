namespace Telecare.Gateway.Api;

public static class ApiExtensions
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Every HTTP endpoint under /api/v1, by resource, and the OpenAPI document at /openapi/v1.json.</summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapSignalIngest();
        app.MapBackups();
        app.MapAuth();
        var api = app.MapGroup("/api/v1");
        ZoneEndpoints.Map(api);
        ResidentEndpoints.Map(api);
        ExpectedActivityEndpoints.Map(api);
        DeviceEndpoints.Map(api);
        ResponderEndpoints.Map(api);
        UserEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        CallEndpoints.Map(api);
        ReportEndpoints.Map(api);
        return app;
    }
}
