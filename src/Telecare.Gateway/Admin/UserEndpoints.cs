using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Admin;

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
        users.MapGet("/", (SqliteConnectionFactory store) => TypedResults.Ok(Read(store, null)));
        users.MapPost("/", async (HttpContext http, StoreWriter writer, UserAccounts accounts, SqliteConnectionFactory store, TimeProvider time) =>
        {
            var (body, error) = await JsonBody.ReadAsync<UserRequest>(http);
            if (error is not null)
            {
                return error;
            }

            try
            {
                var id = await writer.ExecuteAsync(context =>
                {
                    var created = accounts.Insert(context, body!.Username!, body.DisplayName ?? body.Username!, body.Role!, body.Password!);
                    Audit.Write(context, time.GetUtcNow(), http.User, "user.create", $"user/{created}", body.Role);
                    return created;
                });
                return TypedResults.Created($"/api/v1/users/{id}", Read(store, id).Single());
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                return JsonBody.Conflict($"The username '{body!.Username}' is taken.");
            }
        });
        users.MapPost("/{id:long}/disable", async (long id, HttpContext http, StoreWriter writer, SqliteConnectionFactory store, TimeProvider time) =>
        {
            var found = await writer.ExecuteAsync(context =>
            {
                using var command = context.Command("UPDATE users SET disabled = 1 WHERE id = $id RETURNING id");
                command.Parameters.AddWithValue("$id", id);
                if (command.ExecuteScalar() is null)
                {
                    return false;
                }

                Audit.Write(context, time.GetUtcNow(), http.User, "user.disable", $"user/{id}");
                return true;
            });
            return found ? Results.Ok(Read(store, id).Single()) : JsonBody.NotFound($"User {id}");
        });
    }

    private static List<UserView> Read(SqliteConnectionFactory store, long? id)
    {
        using var connection = store.OpenReader();
        using var command = Db.Query(connection,
            "SELECT id, username, display_name, role, disabled, created_at FROM users WHERE $id IS NULL OR id = $id ORDER BY username", ("$id", id));
        using var reader = command.ExecuteReader();
        var users = new List<UserView>();
        while (reader.Read())
        {
            users.Add(new UserView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) == 1, reader.Time(5)!.Value));
        }

        return users;
    }
}
