using Telecare.Gateway.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Telecare.Gateway.Hosting;

namespace Telecare.Gateway.Api;

/// <summary>Password sign-in for the pages: a cookie, rate-limited per client address.</summary>
public static partial class AuthEndpoints
{
    public sealed class LoginRequest
    {
        [System.ComponentModel.DataAnnotations.Required]
        public string? Username { get; set; }

        [System.ComponentModel.DataAnnotations.Required]
        public string? Password { get; set; }
    }

    public sealed record Me(string Username, string? DisplayName, string Role, long? ResponderId);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(Policies.LoginRateLimit);
        group.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Authenticated);
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
            user.Identity!.Name!,
            user.FindFirstValue("display_name"),
            user.FindFirstValue(ClaimTypes.Role) ?? "",
            long.TryParse(user.FindFirstValue(TelecareClaims.ResponderId), out var responder) ? responder : null)))
            .RequireAuthorization(Policies.Authenticated);
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, UserAccounts users, ILoggerFactory loggers)
    {
        var (body, error) = await JsonBody.ReadAsync<LoginRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var logger = loggers.CreateLogger("Telecare.Security.Login");
        var user = await users.VerifyAsync(body!.Username!, body.Password!);
        if (user is null)
        {
            LogLoginFailed(logger, LogText.Safe(body.Username), http.Connection.RemoteIpAddress?.ToString());
            return TypedResults.Problem(title: "Sign-in failed", detail: "Wrong username or password, or the account is disabled.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(ClaimTypes.Role, user.Role),
            new("display_name", user.DisplayName),
            new(TelecareClaims.UserId, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (user.ResponderId is { } responderId)
        {
            claims.Add(new Claim(TelecareClaims.ResponderId, responderId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
        LogLoggedIn(logger, user.Username, user.Role);
        return TypedResults.Ok(new Me(user.Username, user.DisplayName, user.Role, user.ResponderId));
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Failed sign-in for {Username} from {Address}")]
    private static partial void LogLoginFailed(ILogger logger, string username, string? address);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "{Username} signed in as {Role}")]
    private static partial void LogLoggedIn(ILogger logger, string username, string role);
}
