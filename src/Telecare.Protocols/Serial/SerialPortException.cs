namespace Telecare.Protocols.Serial;

/// <summary>A serial port failure; the message names the device path and, where there is one, the errno.</summary>
public sealed class SerialPortException : IOException
{
    public SerialPortException(string path, string message, int errno = 0)
        : base(errno == 0 ? $"{path}: {message}" : $"{path}: {message}: errno {errno} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)})")
    {
        Path = path;
        Errno = errno;
    }

    public string Path { get; }

    /// <summary>The errno, or 0 when the failure was not a failed call (e.g. a hang-up).</summary>
    public int Errno { get; }

    /// <summary>True when the device went away (hang-up, I/O error): reopening may help.</summary>
    public bool IsHangUp { get; init; }
}
