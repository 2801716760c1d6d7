namespace Telecare.Core.Calls;

/// <summary>Who did something to a call: a user id with their role, or the gateway itself.</summary>
public sealed record Actor(string Id, ActorRole Role)
{
    public static Actor System { get; } = new("system", ActorRole.System);

    public static Actor Handler(string id) => new(id, ActorRole.Handler);

    public static Actor Supervisor(string id) => new(id, ActorRole.Supervisor);

    public static Actor Responder(string id) => new(id, ActorRole.Responder);

    public override string ToString() => $"{Role}:{Id}";
}

public enum ActorRole
{
    System = 1,
    Handler = 2,
    Supervisor = 3,
    Responder = 4,

    /// <summary>The resident's own device (a cancel button).</summary>
    Resident = 5,
}
