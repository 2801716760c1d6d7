using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Telecare.Core.Store;

namespace Telecare.Gateway.Store;

/// <summary>
/// The one writer with group commit. Units of work queue in a bounded channel (callers wait when it is
/// full; nothing is dropped). The writer takes whatever is waiting, up to <see cref="StoreOptions.MaxBatch"/>,
/// runs each unit inside its own savepoint of one transaction and commits once, so durability costs one
/// fsync per batch, not per write. A unit's task completes only after the commit: that is the receipt.
/// A unit that throws is rolled back to its savepoint alone; a commit that fails fails the whole batch,
/// so nobody is told "stored" for something that is not. Each unit's in-memory changes (<see cref="WriteContext.OnCommitted"/>)
/// take effect after the commit and before the receipts, so whoever is told "stored" also finds the change in memory.
/// Statements are prepared once per connection (<see cref="PreparedStatements"/>).
/// </summary>
public sealed class StoreWriter : IStoreWriter, IAsyncDisposable
{
    private readonly Channel<WriteItem> _queue;
    private readonly SqliteConnectionFactory _factory;
    private readonly StoreOptions _options;
    private readonly TimeProvider _time;
    private readonly StoreMetrics _metrics;
    private readonly IWriterObserver[] _observers;
    private readonly Action<Exception> _afterCommitFailed;
    private readonly Thread _thread;
    private readonly List<WriteItem> _batch = [];
    private volatile Exception? _lastCommitError;
    private long _busySince;

    public StoreWriter(
        SqliteConnectionFactory factory, StoreOptions options, TimeProvider time, StoreMetrics metrics,
        IReadOnlyList<IWriterObserver>? observers = null, Action<Exception>? afterCommitFailed = null)
    {
        _factory = factory;
        _options = options;
        _time = time;
        _metrics = metrics;
        _observers = [.. observers ?? []];
        _afterCommitFailed = afterCommitFailed ?? (_ => { });
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _thread = new Thread(Run) { Name = "store-writer", IsBackground = true };
        _thread.Start();
    }

    /// <summary>True while the last commit succeeded (readiness).</summary>
    public bool IsHealthy => _lastCommitError is null;

    /// <summary>
    /// Raised on the writer's thread when <see cref="IsHealthy"/> flips (true: commits work again). Handlers must be
    /// quick and must not write to the store (the writer is waiting for them).
    /// </summary>
    public event Action<bool>? HealthChanged;

    public Exception? LastCommitError => _lastCommitError;

    /// <summary>
    /// How long the batch in hand has been running, or null while the writer is idle. A disk that hangs (or the file
    /// locked by another program) shows here, not as an error: nothing fails, the commit just does not end.
    /// </summary>
    public TimeSpan? BusyFor
    {
        get
        {
            var since = Interlocked.Read(ref _busySince);
            return since == 0 ? null : _time.GetElapsedTime(since);
        }
    }

    /// <summary>Items waiting for the writer.</summary>
    public int QueueDepth => _queue.Reader.CanCount ? _queue.Reader.Count : 0;

    /// <summary>Runs <paramref name="work"/> in the next batch; completes after the batch is committed.</summary>
    public Task<T> ExecuteAsync<T>(Func<WriteContext, T> work, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new WriteItem<T>(work, ownSavepoint: true), cancellationToken);

    Task<T> IStoreWriter.ExecuteSelfContainedAsync<T>(Func<IStoreUnit, T> work, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteItem<T>(work, ownSavepoint: false), cancellationToken);

    private async Task<T> EnqueueAsync<T>(WriteItem<T> item, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        return await item.Completion.Task.ConfigureAwait(false);
    }

    Task<T> IStoreWriter.ExecuteAsync<T>(Func<IStoreUnit, T> work, CancellationToken cancellationToken) =>
        ExecuteAsync<T>(work, cancellationToken);

    public Task ExecuteAsync(Action<WriteContext> work, CancellationToken cancellationToken = default) =>
        ExecuteAsync<bool>(context => { work(context); return true; }, cancellationToken);

    /// <summary>
    /// A real write through the group commit, as a signal's: the schema version is written back with its own
    /// value, which puts page 1 in the WAL and syncs it. Throws <see cref="StoreUnavailableException"/> when the
    /// store cannot commit; a success also brings <see cref="IsHealthy"/> back.
    /// </summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(context =>
        {
            using var read = context.Command("PRAGMA main.user_version");
            var version = Convert.ToInt64(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var write = context.Command($"PRAGMA main.user_version = {version}");
            write.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Stops taking work, finishes what is queued and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(() => _thread.Join()).ConfigureAwait(false);
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        PreparedStatements? statements = null;
        try
        {
            while (WaitForWork())
            {
                if (connection is null)
                {
                    (connection, statements) = TryOpen();
                    if (connection is null)
                    {
                        FailWaiting(_lastCommitError!);
                        continue;
                    }
                }

                if (!CommitOneBatch(new WriteContext(connection, statements!)))
                {
                    // A failed commit may leave the connection unusable (disk full, file made read-only): start afresh.
                    statements!.Dispose();
                    connection.Dispose();
                    (connection, statements) = (null, null);
                }
            }
        }
        finally
        {
            statements?.Dispose();
            connection?.Dispose();
        }
    }

    private bool WaitForWork()
    {
        // Blocking here is fine: this is the writer's own thread.
        return _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
    }

    private (SqliteConnection?, PreparedStatements?) TryOpen()
    {
        SqliteConnection? connection = null;
        PreparedStatements? statements = null;
        try
        {
            connection = _factory.OpenWriter();
            statements = new PreparedStatements(connection);
            foreach (var observer in _observers)
            {
                observer.Opened(new WriteContext(connection, statements));
            }

            return (connection, statements);
        }
        catch (Exception ex)
        {
            statements?.Dispose();
            connection?.Dispose();
            SetHealth(ex);
            return (null, null);
        }
    }

    private void FailWaiting(Exception error)
    {
        _batch.Clear();
        Collect();
        foreach (var item in _batch)
        {
            item.Fail(new StoreUnavailableException("The store cannot be opened for writing.", error));
        }

        _batch.Clear();
        // Back off a little so a broken disk is not hammered in a tight loop; callers retry.
        Thread.Sleep(100);
    }

    private void Collect()
    {
        while (_batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var item))
        {
            _batch.Add(item);
        }

        if (_options.MaxBatchWaitMilliseconds > 0 && _batch.Count < _options.MaxBatch)
        {
            var until = _time.GetTimestamp() + (long)(_options.MaxBatchWaitMilliseconds * Stopwatch.Frequency / 1000);
            while (_batch.Count < _options.MaxBatch && _time.GetTimestamp() < until)
            {
                if (_queue.Reader.TryRead(out var item))
                {
                    _batch.Add(item);
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }
        }
    }

    private bool CommitOneBatch(WriteContext context)
    {
        _batch.Clear();
        Collect();
        if (_batch.Count == 0)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _busySince, Math.Max(1, _time.GetTimestamp()));
        try
        {
            using var transaction = context.Connection.BeginTransaction(deferred: false);
            context.Transaction = transaction;
            foreach (var item in _batch)
            {
                RunUnit(context, item);
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            foreach (var observer in _observers)
            {
                observer.UnitRolledBack();
            }

            context.Failed(_afterCommitFailed);
            SetHealth(ex);
            var error = new StoreUnavailableException("The store could not commit; nothing in this batch was stored.", ex);
            foreach (var item in _batch)
            {
                item.Fail(error);
            }

            _metrics.CommitFailed();
            return false;
        }
        finally
        {
            Interlocked.Exchange(ref _busySince, 0);
        }

        SetHealth(null);
        context.Committed(_afterCommitFailed);
        _metrics.Committed(_batch.Count, Stopwatch.GetElapsedTime(started));
        foreach (var item in _batch)
        {
            item.Complete();
        }

        return true;
    }

    /// <summary>
    /// One unit, in a savepoint of its own unless it is self-contained (by its contract, a self-contained unit that
    /// throws wrote nothing). A unit that throws is undone alone, rows and in-memory changes; a disk or lock error
    /// goes on to fail the batch: it is the store's, not the unit's.
    /// </summary>
    private void RunUnit(WriteContext context, WriteItem item)
    {
        if (item.OwnSavepoint)
        {
            Exec(context, "SAVEPOINT unit");
        }

        var unit = context.BeginUnit();
        try
        {
            item.Run(context);
            foreach (var observer in _observers)
            {
                observer.UnitKept(context);
            }

            if (item.OwnSavepoint)
            {
                Exec(context, "RELEASE unit");
            }
        }
        catch (Exception ex) when (!StoreFailure.IsStoreFailure(ex))
        {
            if (item.OwnSavepoint)
            {
                Exec(context, "ROLLBACK TO unit");
                Exec(context, "RELEASE unit");
            }

            context.RollBackUnit(unit);
            foreach (var observer in _observers)
            {
                observer.UnitRolledBack();
            }

            item.MarkFailed(ex);
        }
    }

    private void SetHealth(Exception? error)
    {
        var was = _lastCommitError is null;
        _lastCommitError = error;
        if (was != (error is null))
        {
            try
            {
                HealthChanged?.Invoke(error is null);
            }
            catch (Exception)
            {
                // A listener's fault must not stop the writer; listeners log their own trouble.
            }
        }
    }

    private static void Exec(WriteContext context, string sql) => context.Statement(sql).Execute();

    private abstract class WriteItem(bool ownSavepoint)
    {
        public bool OwnSavepoint { get; } = ownSavepoint;

        public abstract void Run(WriteContext context);

        /// <summary>The unit threw: its savepoint was rolled back; report after the batch commits.</summary>
        public abstract void MarkFailed(Exception error);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class WriteItem<T>(Func<WriteContext, T> work, bool ownSavepoint) : WriteItem(ownSavepoint)
    {
        private T _result = default!;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(WriteContext context)
        {
            _error = null;
            _result = work(context);
        }

        public override void MarkFailed(Exception error) => _error = error;

        public override void Complete()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}
