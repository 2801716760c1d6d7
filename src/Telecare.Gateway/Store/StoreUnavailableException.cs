namespace Telecare.Gateway.Store;

/// <summary>The store could not commit. The caller must not acknowledge its source; the source will retry.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
