using Microsoft.Data.Sqlite;
using Telecare.Core.Store;

namespace Telecare.Gateway.Store;

/// <summary>
/// What a unit of work sees inside the writer's current batch transaction: commands on the writer's connection
/// (prepared once per connection and reused), and the in-memory changes that must happen exactly when the unit's
/// rows become durable — <see cref="OnCommitted"/> after the batch commits, <see cref="OnRolledBack"/> when the
/// unit (or a <see cref="TrySavepoint"/> inside it) is rolled back or the batch fails. Only the writer's thread
/// touches a context.
/// </summary>
public sealed class WriteContext : IStoreUnit
{
    private readonly PreparedStatements _statements;
    private readonly List<Action> _committed = [];
    private readonly List<Action> _rolledBack = [];

    internal WriteContext(SqliteConnection connection, PreparedStatements statements)
    {
        Connection = connection;
        _statements = statements;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; internal set; } = null!;

    /// <summary>
    /// A command bound to the batch transaction, prepared once per connection and reused: a caller disposing it only
    /// clears its parameters. A command must not be asked for again while its own reader is still open.
    /// </summary>
    public SqliteCommand Command(string sql) => _statements.Get(sql, Transaction);

    /// <summary>A statement of the alarm path on the writer's connection, compiled once; see <see cref="SqliteStatement"/>.</summary>
    public SqliteStatement Statement(string sql) => _statements.Statement(sql);

    /// <summary>Runs after the batch commits, in the order registered, if the unit that registered it was kept. Must be quick and not throw.</summary>
    public void OnCommitted(Action action) => _committed.Add(action);

    /// <summary>Undoes an in-memory change when the unit (or savepoint) it belongs to is rolled back, or the batch fails; newest first.</summary>
    public void OnRolledBack(Action action) => _rolledBack.Add(action);

    /// <summary>
    /// Runs <paramref name="work"/> inside a savepoint of its own: when it throws (not an infrastructure error, which
    /// fails the batch) its rows and in-memory changes are undone, the rest of the unit stands and the error is
    /// returned. This is how a triage rule that throws leaves its signal stored, but untriaged.
    /// </summary>
    public Exception? TrySavepoint(Action work)
    {
        Execute("SAVEPOINT inner");
        var scope = Begin();
        try
        {
            work();
        }
        catch (Exception ex) when (!StoreFailure.IsStoreFailure(ex))
        {
            Execute("ROLLBACK TO inner");
            Execute("RELEASE inner");
            RollBack(scope);
            return ex;
        }

        Execute("RELEASE inner");
        return null;
    }

    public bool IsStoreFailure(Exception error) => StoreFailure.IsStoreFailure(error);

    internal Scope BeginUnit() => Begin();

    /// <summary>The unit was rolled back to its savepoint: undo what it changed in memory and forget what it would have done.</summary>
    internal void RollBackUnit(Scope unit) => RollBack(unit);

    /// <summary>The batch is durable: the kept units' in-memory changes take effect.</summary>
    internal void Committed(Action<Exception> onError)
    {
        foreach (var action in _committed)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                onError(ex);
            }
        }

        Clear();
    }

    /// <summary>The batch did not commit: every in-memory change made for it is undone.</summary>
    internal void Failed(Action<Exception> onError)
    {
        for (var i = _rolledBack.Count - 1; i >= 0; i--)
        {
            try
            {
                _rolledBack[i]();
            }
            catch (Exception ex)
            {
                onError(ex);
            }
        }

        Clear();
    }

    private void Clear()
    {
        _committed.Clear();
        _rolledBack.Clear();
    }

    private Scope Begin() => new(_committed.Count, _rolledBack.Count);

    private void RollBack(Scope scope)
    {
        for (var i = _rolledBack.Count - 1; i >= scope.RolledBackFrom; i--)
        {
            _rolledBack[i]();
        }

        _rolledBack.RemoveRange(scope.RolledBackFrom, _rolledBack.Count - scope.RolledBackFrom);
        _committed.RemoveRange(scope.CommittedFrom, _committed.Count - scope.CommittedFrom);
    }

    private void Execute(string sql) => Statement(sql).Execute();

    internal readonly record struct Scope(int CommittedFrom, int RolledBackFrom);
}
