namespace Telecare.Protocols.Receivers;

/// <summary>The alarm format inside a receiver line.</summary>
public enum ReceiverMessageFormat
{
    /// <summary>No alarm content (heartbeat, link test).</summary>
    None,

    /// <summary>Ademco Contact ID: qualifier, 3-digit code, group, zone or user.</summary>
    ContactId,

    /// <summary>SIA: a 2-letter event code and a zone.</summary>
    Sia,
}
