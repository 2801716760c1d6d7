namespace Telecare.Core.Accounts;

/// <summary>The five roles. Users and API keys each carry one.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Installer = "installer";
    public const string Handler = "handler";
    public const string Supervisor = "supervisor";
    public const string Responder = "responder";

    public static readonly IReadOnlyList<string> All = [Admin, Installer, Handler, Supervisor, Responder];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
