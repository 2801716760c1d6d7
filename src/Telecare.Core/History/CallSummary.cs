using Telecare.Core.Calls;

namespace Telecare.Core.History;

/// <summary>A past call in a line: the event as stored ("manual" for one raised by hand), where it ended, when it was raised.</summary>
public sealed record CallSummary(long Id, string EventType, CallState State, string? Outcome, DateTimeOffset RaisedAt);
