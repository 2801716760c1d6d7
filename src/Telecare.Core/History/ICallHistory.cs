using Telecare.Core.Calls;

namespace Telecare.Core.History;

/// <summary>Port: calls as stored, finished ones too (the open ones are also held in memory), with what came with them.</summary>
public interface ICallHistory
{
    /// <summary>The call with its timeline, or null.</summary>
    ValueTask<Call?> GetAsync(long callId, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="count"/> calls with their timelines, newest first.</summary>
    ValueTask<IReadOnlyList<Call>> LatestAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>The resident's calls other than <paramref name="exceptCallId"/>, most recently raised first.</summary>
    ValueTask<IReadOnlyList<CallSummary>> ForResidentAsync(long residentId, long exceptCallId, int count, CancellationToken cancellationToken = default);

    /// <summary>The signals linked to the call, in the order they were stored.</summary>
    ValueTask<IReadOnlyList<CallSignal>> SignalsAsync(long callId, CancellationToken cancellationToken = default);
}
