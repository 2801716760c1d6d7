using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Telecare.Core.Accounts;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Security;

public static class SecurityExtensions
{
    /// <summary>The scheme that picks API key (header present) or cookie per request.</summary>
    public const string DefaultScheme = "TelecareAuth";

    public static IHostApplicationBuilder AddTelecareSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SecurityOptions>(SecurityOptions.Section);
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService<SecurityBootstrap>();

        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "API key or cookie", options =>
                options.ForwardDefaultSelector = http =>
                    http.Request.Headers.ContainsKey(Policies.ApiKeyHeader) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.Cookie.Name = "telecare";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                // An API or hub caller gets a status code, never a redirect to the sign-in page.
                options.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
                // A disabled account, or one whose role changed, loses its open sessions on its next request.
                options.Events.OnValidatePrincipal = async context =>
                {
                    var users = context.HttpContext.RequestServices.GetRequiredService<UserAccounts>();
                    var name = context.Principal?.Identity?.Name;
                    var role = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
                    if (name is null || !await users.IsActiveWithRoleAsync(name, role))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>>((cookie, security) => cookie.ExpireTimeSpan = TimeSpan.FromHours(security.Value.CookieHours));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.IngestSignals, p => p.RequireRole(Roles.Admin, Roles.Installer))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ManageEquipment, p => p.RequireRole(Roles.Admin, Roles.Installer))
            .AddPolicy(Policies.Dispatch, p => p.RequireRole(Roles.Handler, Roles.Supervisor, Roles.Admin))
            .AddPolicy(Policies.HandleCalls, p => p.RequireRole(Roles.Handler, Roles.Supervisor))
            .AddPolicy(Policies.Reports, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Policies.Respond, p => p.RequireRole(Roles.Responder))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Admin, Roles.Installer, Roles.Handler, Roles.Supervisor))
            .AddPolicy(Policies.Authenticated, p => p.RequireAuthenticatedUser());

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policies.LoginRateLimit, http =>
            {
                var security = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = security.LoginPermitLimit,
                    Window = TimeSpan.FromSeconds(security.LoginWindowSeconds),
                    QueueLimit = 0,
                });
            });
        });

        // Medical notes and access details are protected at rest; the keys live beside the database.
        services.AddDataProtection().SetApplicationName("TelecareGateway");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StoreOptions>, TelecarePaths, ILoggerFactory>((keys, store, paths, loggers) =>
        {
            var folder = Path.Combine(Path.GetDirectoryName(paths.Resolve(store.Value.Path))!, "keys");
            Directory.CreateDirectory(folder);
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
        });
        services.AddSingleton<ResidentSecrets>();
        return builder;
    }

    public static WebApplication UseTelecareSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
