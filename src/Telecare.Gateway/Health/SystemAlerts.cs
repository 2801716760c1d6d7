namespace Telecare.Gateway.Health;

/// <summary>
/// Faults in the gateway itself that a person must know about (the store cannot commit, …). Raising one pushes
/// SystemAlert to every dispatch console, clearing it pushes the same code with Cleared; the active ones are in every
/// dispatch snapshot, so a console that connects or reconnects during a fault sees it too.
/// </summary>
public sealed partial class SystemAlerts(ISystemAlertNotifier consoles, TimeProvider time, ILogger<SystemAlerts> logger)
{
    public const string Critical = "critical";

    public const string Warning = "warning";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SystemAlertView> _active = new(StringComparer.Ordinal);

    public IReadOnlyList<SystemAlertView> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Values.OrderBy(a => a.At)];
            }
        }
    }

    /// <summary>Raises <paramref name="code"/> unless it is already active (one alert per fault, however often it recurs).</summary>
    public void Raise(string code, string severity, string message)
    {
        lock (_gate)
        {
            if (_active.ContainsKey(code))
            {
                return;
            }

            var alert = new SystemAlertView(code, severity, message, time.GetUtcNow(), Cleared: false);
            _active[code] = alert;
            // Pushed under the lock: consoles see raise and clear in the order the state changed.
            consoles.SystemAlert(alert);
        }

        LogRaised(logger, severity == Critical ? LogLevel.Critical : LogLevel.Warning, code, message);
    }

    /// <summary>Ends <paramref name="code"/> if it is active.</summary>
    public void Clear(string code, string message)
    {
        lock (_gate)
        {
            if (!_active.Remove(code, out var raised))
            {
                return;
            }

            consoles.SystemAlert(new SystemAlertView(code, raised.Severity, message, time.GetUtcNow(), Cleared: true));
        }

        LogCleared(logger, code, message);
    }

    [LoggerMessage(EventId = 5401, Message = "System alert {Code}: {Message}")]
    private static partial void LogRaised(ILogger logger, LogLevel level, string code, string message);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "System alert {Code} cleared: {Message}")]
    private static partial void LogCleared(ILogger logger, string code, string message);
}
