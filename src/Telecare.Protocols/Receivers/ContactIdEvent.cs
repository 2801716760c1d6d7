namespace Telecare.Protocols.Receivers;

/// <summary>A Contact ID code translated into the gateway's event vocabulary.</summary>
/// <param name="EventName">e.g. <c>pendant.press</c>.</param>
/// <param name="Restore">True when the report's qualifier is a restore (the condition cleared).</param>
/// <param name="Code">The Contact ID event code it came from.</param>
public readonly record struct ContactIdEvent(string EventName, bool Restore, int Code);
