using Telecare.Core.Store;

namespace Telecare.Core.Signals;

/// <summary>Port: the signals table (raw frames included) and what triage marks on it; every call runs inside a writer unit.</summary>
public interface ISignalStore
{
    /// <summary>The earlier copy of a retry (same source, device and sequence; or, without a sequence, the same frame since <paramref name="since"/>).</summary>
    SignalReceipt? FindEarlier(IStoreUnit unit, IncomingSignal signal, ReadOnlySpan<byte> frameHash, DateTimeOffset since);

    /// <summary>Stores the signal with its raw frame; <paramref name="triaged"/> says triage runs in this same unit.</summary>
    long Insert(IStoreUnit unit, IncomingSignal signal, ReadOnlySpan<byte> frameHash, DateTimeOffset receivedAt, bool triaged);

    /// <summary>Accepted signals not triaged (acknowledged before a stop, or whose triage failed), in commit order.</summary>
    IReadOnlyList<StoredSignal> LoadUntriaged(IStoreUnit unit);

    /// <summary>Marks the signal triaged and, when it raised or changed one, links it to its call.</summary>
    void MarkTriaged(IStoreUnit unit, long signalId, long? callId);

    void MarkUntriaged(IStoreUnit unit, long signalId);

    /// <summary>The device was heard from: its check-in time (never moved back) and battery.</summary>
    void CheckIn(IStoreUnit unit, long deviceId, DateTimeOffset at, int? battery);
}
