using Microsoft.Extensions.Options;
using Telecare.Core.Accounts;
using Telecare.Core.Registry;
using Telecare.Gateway.Hosting;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Security;

/// <summary>
/// First start: creates the admin (from configuration, or with a generated password written to a file only the
/// owner can read — the log says where, never what), and any configured bootstrap API keys that do not exist yet.
/// </summary>
public sealed partial class SecurityBootstrap(
    IOptions<SecurityOptions> options,
    IOptions<StoreOptions> store,
    TelecarePaths paths,
    UserAccounts users,
    IApiKeyStore apiKeys,
    ILogger<SecurityBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bootstrap = options.Value.Bootstrap;
        foreach (var key in bootstrap.ApiKeys)
        {
            if (!Roles.IsKnown(key.Role) || !Secrets.TryGetApiKeyPrefix(key.Key, out var prefix) || string.IsNullOrWhiteSpace(key.Name))
            {
                throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions),
                    [$"Security:Bootstrap:ApiKeys: '{key.Name}' needs a name, a known role and a key of the form tgk_<prefix>_<secret>"]);
            }

            await apiKeys.EnsureAsync(new NewApiKey(key.Name, prefix, Secrets.Hash(key.Key), key.Role), cancellationToken);
        }

        if (await users.AnyWithRoleAsync(Roles.Admin))
        {
            return;
        }

        var password = bootstrap.AdminPassword;
        string? writtenTo = null;
        if (string.IsNullOrEmpty(password))
        {
            password = Secrets.NewSecret(18);
            var folder = Path.GetDirectoryName(paths.Resolve(store.Value.Path))!;
            writtenTo = Path.Combine(folder, "admin-password.txt");
            Directory.CreateDirectory(folder);
            // Created owner-only, so the password is never readable by others, not even for a moment.
            var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = ownerOnly;
            }

            await using (var file = new StreamWriter(new FileStream(writtenTo, create)))
            {
                await file.WriteAsync($"{bootstrap.AdminUsername}\n{password}\n");
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(writtenTo, ownerOnly);
            }
        }

        if (await users.CreateAsync(bootstrap.AdminUsername, "Administrator", Roles.Admin, password) is { Outcome: SaveOutcome.Duplicate })
        {
            LogAdminNameTaken(logger, bootstrap.AdminUsername);
            return;
        }

        if (writtenTo is null)
        {
            LogAdminFromConfiguration(logger, bootstrap.AdminUsername);
        }
        else
        {
            LogAdminGenerated(logger, bootstrap.AdminUsername, writtenTo);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Created the first admin '{Username}'; its generated password is in {Path} (readable only by this account). Sign in and change it.")]
    private static partial void LogAdminGenerated(ILogger logger, string username, string path);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Created the first admin '{Username}' with the password from configuration")]
    private static partial void LogAdminFromConfiguration(ILogger logger, string username);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "No admin exists but the username '{Username}' is taken by another role; no admin was created")]
    private static partial void LogAdminNameTaken(ILogger logger, string username);
}
