using System.Runtime.InteropServices;

namespace Telecare.Protocols.Serial;

/// <summary>
/// glibc's <c>struct termios</c> on linux-x64 (glibc on linux-arm64 uses the same generic layout and
/// flag values, but only x64 is tested here):
/// four 32-bit flag words, c_line, 32 control characters, then input and output speeds,
/// 60 bytes in all. The offsets are pinned here and asserted in a test against glibc itself.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct Termios
{
    public const int Size = 60;
    public const int ControlCharCount = 32;

    [FieldOffset(0)] public uint InputFlags;    // c_iflag
    [FieldOffset(4)] public uint OutputFlags;   // c_oflag
    [FieldOffset(8)] public uint ControlFlags;  // c_cflag
    [FieldOffset(12)] public uint LocalFlags;   // c_lflag
    [FieldOffset(16)] public byte LineDiscipline; // c_line
    [FieldOffset(17)] public fixed byte ControlChars[ControlCharCount]; // c_cc
    [FieldOffset(52)] public uint InputSpeed;   // c_ispeed
    [FieldOffset(56)] public uint OutputSpeed;  // c_ospeed
}
