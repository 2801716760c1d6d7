using Telecare.Core.Signals;
using Telecare.Core.Store;

namespace Telecare.Gateway.Signals;

/// <summary>Triage of a signal inside the sink's own writer unit, so the signal and what it caused are one commit.</summary>
public interface ISignalTriage
{
    /// <summary>Should not throw for the signal's sake: a failure leaves the signal stored and untriaged.</summary>
    void TriageNew(IStoreUnit unit, StoredSignal signal);

    /// <summary>Triage of <paramref name="signal"/> threw out of <see cref="TriageNew"/>: it is stored untriaged; tell people.</summary>
    void Failed(IStoreUnit unit, StoredSignal signal, Exception error);
}
