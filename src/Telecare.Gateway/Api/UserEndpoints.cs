using System.ComponentModel.DataAnnotations;
using Telecare.Core.Accounts;
using Telecare.Core.Registry;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

/// <summary>Users (admin only). Password hashes never leave the store.</summary>
public static class UserEndpoints
{
    public sealed class UserRequest : IValidatableObject
    {
        [Required]
        [RegularExpression("^[A-Za-z0-9_.@-]{3,64}$", ErrorMessage = "must be 3-64 letters, digits, '_', '.', '@' or '-'")]
        public string? Username { get; set; }

        [StringLength(200)]
        public string? DisplayName { get; set; }

        [Required]
        public string? Role { get; set; }

        [Required]
        [StringLength(200, MinimumLength = 10, ErrorMessage = "must be at least 10 characters")]
        public string? Password { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Role is not null && !Roles.IsKnown(Role))
            {
                yield return new ValidationResult($"must be one of {string.Join(", ", Roles.All)}", [nameof(Role)]);
            }
        }
    }

    public sealed record UserView(long Id, string Username, string DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt);

    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Administer);
        users.MapGet("/", async (IUserStore store) => TypedResults.Ok((await store.ListAsync()).Select(View).ToList()));
        users.MapPost("/", async (HttpContext http, UserAccounts accounts) =>
        {
            var (body, error) = await JsonBody.ReadAsync<UserRequest>(http);
            if (error is not null)
            {
                return error;
            }

            var created = await accounts.CreateAsync(body!.Username!, body.DisplayName ?? body.Username!, body.Role!, body.Password!, AuditActor.Of(http.User));
            return created is { Outcome: SaveOutcome.Saved, Value: { } user }
                ? TypedResults.Created($"/api/v1/users/{user.Id}", View(user))
                : JsonBody.Conflict($"The username '{body.Username}' is taken.");
        });
        users.MapPost("/{id:long}/disable", async (long id, HttpContext http, IUserStore store) =>
            await store.DisableAsync(id, AuditActor.Of(http.User)) is { } user ? Results.Ok(View(user)) : JsonBody.NotFound($"User {id}"));
    }

    private static UserView View(UserAccount user) => new(user.Id, user.Username, user.DisplayName, user.Role, user.Disabled, user.CreatedAt);
}
