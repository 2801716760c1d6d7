using System.Runtime.InteropServices;
using SQLitePCL;
using Telecare.Core.ReadModels;

namespace Telecare.Gateway.Store.ReadModels;

/// <summary>
/// Keeps the registry read model in step with the writer's commits, whatever code wrote the rows: SQLite tells the
/// writer's connection of every row a statement changes (the update hook); at the end of each kept unit the changed
/// registry rows are read back inside the transaction and handed to the model once the batch has committed. A unit
/// that is rolled back forgets its rows. The signal path's own device update (check-in time and battery) changes
/// nothing the model holds and is written inside <see cref="Quiet"/>. Each time the writer opens its connection (at
/// start, and after a failed commit) the whole registry is read again, so the model starts from the store's truth.
/// </summary>
public sealed class RegistryChangeTracker(IRegistryReadModel model) : IWriterObserver
{
    private readonly HashSet<(string Table, long Id)> _changed = [];
    private int _quiet;

    public void Opened(WriteContext context)
    {
        _changed.Clear();
        raw.sqlite3_update_hook(context.Connection.Handle, OnRowChanged, null);
        RegistryRows.LoadAll(context, model);
    }

    public void UnitKept(WriteContext context)
    {
        if (_changed.Count == 0)
        {
            return;
        }

        foreach (var (table, id) in _changed)
        {
            if (RegistryRows.Load(context, table, id) is { } change)
            {
                context.OnCommitted(() => model.Apply(change));
            }
        }

        _changed.Clear();
    }

    public void UnitRolledBack() => _changed.Clear();

    /// <summary>Writes inside this scope are not tracked (they change no field the model holds).</summary>
    public QuietScope Quiet()
    {
        _quiet++;
        return new QuietScope(this);
    }

    private void OnRowChanged(object userData, int type, utf8z database, utf8z table, long rowId)
    {
        if (_quiet > 0)
        {
            return;
        }

        if (RegistryTable(table) is { } name)
        {
            _changed.Add((name, rowId));
        }
    }

    /// <summary>The registry table SQLite names, without a string per changed row (every signal changes a few).</summary>
    private static unsafe string? RegistryTable(utf8z table)
    {
        fixed (byte* name = table)
        {
            var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            return bytes.SequenceEqual("devices"u8) ? "devices"
                : bytes.SequenceEqual("residents"u8) ? "residents"
                : bytes.SequenceEqual("zones"u8) ? "zones"
                : bytes.SequenceEqual("responders"u8) ? "responders"
                : null;
        }
    }

    public readonly struct QuietScope(RegistryChangeTracker tracker) : IDisposable
    {
        public void Dispose() => tracker._quiet--;
    }
}
