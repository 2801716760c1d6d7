using System.Security.Claims;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Pages;

/// <summary>
/// Serves the browser pages: the login page, the dispatch console (/) and the responder phone page
/// (/responder), plus their static files. The pages are only shells: every piece of data they show comes
/// through the authenticated hubs and /api/v1, so the static files are public and the page routes only
/// steer a browser to the page its role uses.
/// </summary>
public static class PageEndpoints
{
    /// <summary>Content-Security-Policy for the pages: nothing from outside the gateway (no CDN, no external fonts).</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication MapTelecarePages(this WebApplication app)
    {
        var root = PageRoot.Resolve(app.Configuration, app.Environment);
        app.Logger.LogInformation("Serving the pages from {PageRoot}", root.Describe());

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = root.Files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                // Pages and scripts change with the gateway; a console must never run yesterday's script.
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });

        app.MapGet("/login", (HttpContext http) => Page(http, root, "login.html"))
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapGet("/", (HttpContext http) =>
        {
            var user = http.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return Results.Redirect("/login?next=%2F");
            }

            if (user.IsInRole(Roles.Handler) || user.IsInRole(Roles.Supervisor))
            {
                return Page(http, root, "index.html");
            }

            return user.IsInRole(Roles.Responder) ? Results.Redirect("/responder") : WrongRole(http, root);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/responder", (HttpContext http) =>
        {
            var user = http.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return Results.Redirect("/login?next=%2Fresponder");
            }

            if (user.IsInRole(Roles.Responder))
            {
                return Page(http, root, "responder.html");
            }

            return user.IsInRole(Roles.Handler) || user.IsInRole(Roles.Supervisor) ? Results.Redirect("/") : WrongRole(http, root);
        }).AllowAnonymous().ExcludeFromDescription();

        return app;
    }

    /// <summary>Where a user of this role starts: the pages and the login page agree on it.</summary>
    internal static string LandingPath(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Responder) ? "/responder" : "/";

    private static IResult WrongRole(HttpContext http, PageRoot root)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page(http, root, "forbidden.html", StatusCodes.Status403Forbidden);
    }

    private static IResult Page(HttpContext http, PageRoot root, string name, int status = StatusCodes.Status200OK)
    {
        var file = root.Files.GetFileInfo(name);
        if (!file.Exists)
        {
            return Results.Problem($"The page {name} is missing from {root.Describe()}; rebuild the gateway.", statusCode: 500);
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache, no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        http.Response.StatusCode = status;
        return Results.Stream(file.CreateReadStream(), "text/html; charset=utf-8");
    }
}
