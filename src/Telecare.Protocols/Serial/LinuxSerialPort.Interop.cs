using System.Runtime.InteropServices;

namespace Telecare.Protocols.Serial;

public sealed partial class LinuxSerialPort
{
    /// <summary>The libc calls the port needs, with the linux-x64 constants they take.</summary>
    internal static unsafe partial class Interop
    {
        private const string Libc = "libc";

        public const int ORdWr = 0x2;
        public const int ONoCtty = 0x100;
        public const int ONonBlock = 0x800;
        public const int OCloExec = 0x80000;

        public const int EfdCloExec = 0x80000;
        public const int EfdNonBlock = 0x800;

        public const short PollIn = 0x1;
        public const short PollOut = 0x4;
        public const short PollErr = 0x8;
        public const short PollHup = 0x10;
        public const short PollNval = 0x20;

        public const int EIntr = 4;
        public const int EIo = 5;
        public const int ENxio = 6;
        public const int EAgain = 11;
        public const int ENoDev = 19;

        public const int TcsaNow = 0;
        public const nuint TiocExcl = 0x540C;
        public const nuint TiocNxcl = 0x540D;
        public const nuint TiocGptn = 0x80045430;
        public const nuint TiocSptlck = 0x40045431;

        // c_iflag
        public const uint IgnBrk = 0x1, BrkInt = 0x2, IgnPar = 0x4, ParMrk = 0x8, InPck = 0x10, IStrip = 0x20;
        public const uint InlCr = 0x40, IgnCr = 0x80, ICrNl = 0x100, IXon = 0x400, IXany = 0x800, IXoff = 0x1000;

        // c_oflag
        public const uint OPost = 0x1;

        // c_cflag
        public const uint CBaud = 0x100F, CSize = 0x30, CS7 = 0x20, CS8 = 0x30, CStopB = 0x40, CRead = 0x80;
        public const uint ParEnb = 0x100, ParOdd = 0x200, Clocal = 0x800, CRtsCts = 0x80000000;

        // c_lflag
        public const uint ISig = 0x1, ICanon = 0x2, Echo = 0x8, EchoNl = 0x40, IExten = 0x8000;

        // c_cc indexes
        public const int VIntr = 0, VEof = 4, VTime = 5, VMin = 6;

        [StructLayout(LayoutKind.Sequential)]
        public struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int fd);

        [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
        public static partial nint Read(int fd, byte* buffer, nint count);

        [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
        public static partial nint Write(int fd, byte* buffer, nint count);

        [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
        public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

        [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
        public static partial int EventFd(uint initialValue, int flags);

        [LibraryImport(Libc, EntryPoint = "tcgetattr", SetLastError = true)]
        public static partial int TcGetAttr(int fd, Termios* termios);

        [LibraryImport(Libc, EntryPoint = "tcsetattr", SetLastError = true)]
        public static partial int TcSetAttr(int fd, int optionalActions, Termios* termios);

        [LibraryImport(Libc, EntryPoint = "cfsetispeed", SetLastError = true)]
        public static partial int CfSetISpeed(Termios* termios, uint speed);

        [LibraryImport(Libc, EntryPoint = "cfsetospeed", SetLastError = true)]
        public static partial int CfSetOSpeed(Termios* termios, uint speed);

        [LibraryImport(Libc, EntryPoint = "cfgetispeed")]
        public static partial uint CfGetISpeed(Termios* termios);

        [LibraryImport(Libc, EntryPoint = "cfgetospeed")]
        public static partial uint CfGetOSpeed(Termios* termios);

        [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
        public static partial int Ioctl(int fd, nuint request);

        [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
        public static partial int Ioctl(int fd, nuint request, int* argument);

        /// <summary>The termios speed constant (B1200 ... B115200) for a baud rate.</summary>
        public static uint SpeedConstant(int baudRate) => baudRate switch
        {
            1200 => 0x9,
            2400 => 0xB,
            4800 => 0xC,
            9600 => 0xD,
            19200 => 0xE,
            38400 => 0xF,
            57600 => 0x1001,
            115200 => 0x1002,
            _ => throw new ArgumentOutOfRangeException(nameof(baudRate), baudRate, "unsupported baud rate"),
        };
    }
}
