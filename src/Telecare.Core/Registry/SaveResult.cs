namespace Telecare.Core.Registry;

/// <summary>A write's outcome and, when saved, the record as stored after the commit.</summary>
public readonly record struct SaveResult<T>(SaveOutcome Outcome, T? Value)
    where T : class
{
    public bool IsSaved => Outcome == SaveOutcome.Saved;

    public static SaveResult<T> Saved(T value) => new(SaveOutcome.Saved, value);

    public static SaveResult<T> Failed(SaveOutcome outcome) => new(outcome, null);
}
