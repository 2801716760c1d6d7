namespace Telecare.Protocols.Receivers;

/// <summary>What a receiver line carries.</summary>
public enum ReceiverFrameKind
{
    /// <summary>An alarm or status report from a premises.</summary>
    Event,

    /// <summary>The receiver's own "I am alive" line (acknowledged like any message).</summary>
    Heartbeat,

    /// <summary>An empty line used to test the link.</summary>
    LinkTest,
}
