namespace Telecare.Core.Signals;

/// <summary>Where a signal entered the gateway. Part of the dedupe key.</summary>
public enum SignalSource
{
    Mqtt = 1,
    Serial = 2,
    Http = 3,
    /// <summary>Raised by the gateway itself: missed check-ins, expected-activity rules, manual calls.</summary>
    Internal = 4,
}
