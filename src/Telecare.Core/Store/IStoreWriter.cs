namespace Telecare.Core.Store;

/// <summary>
/// Port: the store's single group-commit writer. <see cref="ExecuteAsync{T}"/> completes only after the batch holding
/// the unit is durable (that is the receipt); it throws the store's "unavailable" error when the batch could not
/// commit, or the unit's own exception when the unit alone was rolled back.
/// </summary>
public interface IStoreWriter
{
    Task<T> ExecuteAsync<T>(Func<IStoreUnit, T> work, CancellationToken cancellationToken = default);
}
