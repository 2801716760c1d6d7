using System.Runtime.InteropServices;

namespace Telecare.Protocols.Serial;

/// <summary>Owns a Linux file descriptor and closes it exactly once. Only -1 is invalid (0 is a real descriptor).</summary>
internal sealed class SafeFileDescriptorHandle : SafeHandle
{
    public SafeFileDescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LinuxSerialPort.Interop.Close((int)handle) == 0;
}
