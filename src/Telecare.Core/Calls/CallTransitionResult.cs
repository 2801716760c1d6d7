using System.Diagnostics.CodeAnalysis;

namespace Telecare.Core.Calls;

/// <summary>Either the changed call with the timeline entry that was appended, or an error with its reason; never both.</summary>
public readonly record struct CallTransitionResult
{
    private CallTransitionResult(Call? call, CallTimelineEntry? entry, CallError? error)
    {
        Call = call;
        Entry = entry;
        Error = error;
    }

    public Call? Call { get; }

    public CallTimelineEntry? Entry { get; }

    public CallError? Error { get; }

    [MemberNotNullWhen(true, nameof(Call), nameof(Entry))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static CallTransitionResult Ok(Call call, CallTimelineEntry entry) => new(call, entry, null);

    public static CallTransitionResult Fail(string code, string reason) => new(null, null, new CallError(code, reason));
}
