namespace Telecare.Gateway.Admin;

public static class AdminApiExtensions
{
    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>/api/v1 for installers and administrators, and the OpenAPI document at /openapi/v1.json.</summary>
    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        ZoneEndpoints.Map(api);
        ResidentEndpoints.Map(api);
        ExpectedActivityEndpoints.Map(api);
        DeviceEndpoints.Map(api);
        ResponderEndpoints.Map(api);
        UserEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        return app;
    }
}
