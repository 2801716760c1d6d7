namespace Telecare.Core.Registry;

/// <summary>Port: responders. Every change is audited in the same commit as the change.</summary>
public interface IResponderStore
{
    /// <summary>All responders by name.</summary>
    ValueTask<IReadOnlyList<Responder>> ListAsync(CancellationToken cancellationToken = default);

    ValueTask<Responder?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (<paramref name="id"/> null) or updates a responder. Refused with <see cref="SaveOutcome.ZoneMissing"/>,
    /// <see cref="SaveOutcome.UserNotResponder"/>, or <see cref="SaveOutcome.Duplicate"/> when the user is linked to another responder.
    /// </summary>
    ValueTask<SaveResult<Responder>> SaveAsync(long? id, ResponderDraft responder, string actor, CancellationToken cancellationToken = default);

    /// <summary>The responder's own tap on or off duty, audited in the same commit; false when there is no such responder.</summary>
    ValueTask<bool> SetOnDutyAsync(long id, bool onDuty, string actor, CancellationToken cancellationToken = default);
}
