using Telecare.Core.Accounts;

namespace Telecare.Core.Registry;

/// <summary>A responder and the login created for it.</summary>
public sealed record ResponderImport(NewUser Login, ResponderDraft Responder);
