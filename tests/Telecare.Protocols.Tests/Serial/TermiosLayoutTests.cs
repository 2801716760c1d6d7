using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Telecare.Protocols.Serial;
using static Telecare.Protocols.Serial.LinuxSerialPort.Interop;

namespace Telecare.Protocols.Tests.Serial;

public sealed unsafe class TermiosLayoutTests
{
    [Fact]
    public void Termios_has_the_pinned_linux_x64_size_and_offsets()
    {
        Assert.Equal(60, Unsafe.SizeOf<Termios>());
        Assert.Equal(60, Marshal.SizeOf<Termios>());
        Assert.Equal(0, (int)Marshal.OffsetOf<Termios>(nameof(Termios.InputFlags)));
        Assert.Equal(4, (int)Marshal.OffsetOf<Termios>(nameof(Termios.OutputFlags)));
        Assert.Equal(8, (int)Marshal.OffsetOf<Termios>(nameof(Termios.ControlFlags)));
        Assert.Equal(12, (int)Marshal.OffsetOf<Termios>(nameof(Termios.LocalFlags)));
        Assert.Equal(16, (int)Marshal.OffsetOf<Termios>(nameof(Termios.LineDiscipline)));
        Assert.Equal(17, (int)Marshal.OffsetOf<Termios>(nameof(Termios.ControlChars)));
        Assert.Equal(52, (int)Marshal.OffsetOf<Termios>(nameof(Termios.InputSpeed)));
        Assert.Equal(56, (int)Marshal.OffsetOf<Termios>(nameof(Termios.OutputSpeed)));
    }

    [Fact]
    public void Glibc_writes_the_speeds_where_the_layout_says()
    {
        var t = default(Termios);
        Assert.Equal(0, CfSetISpeed(&t, SpeedConstant(1200)));
        Assert.Equal(0, CfSetOSpeed(&t, SpeedConstant(19200)));
        Assert.Equal(SpeedConstant(1200), t.InputSpeed);
        Assert.Equal(SpeedConstant(19200), t.OutputSpeed);
        Assert.Equal(SpeedConstant(19200), t.ControlFlags & CBaud);
        Assert.Equal(SpeedConstant(19200), CfGetOSpeed(&t));
    }

    [Fact]
    public void The_kernel_default_termios_of_a_fresh_pty_lands_on_the_pinned_fields()
    {
        // A new pseudo-terminal carries the kernel's standard settings: ^C and ^D in c_cc, 38400 baud,
        // canonical mode with echo. Reading them through our struct checks every region of the layout.
        var master = Open("/dev/ptmx", ORdWr | ONoCtty | OCloExec);
        Assert.True(master >= 0, $"/dev/ptmx: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            int unlock = 0, number = -1;
            Assert.Equal(0, Ioctl(master, TiocSptlck, &unlock));
            Assert.Equal(0, Ioctl(master, TiocGptn, &number));
            var slave = Open($"/dev/pts/{number}", ORdWr | ONoCtty | OCloExec);
            Assert.True(slave >= 0, $"/dev/pts/{number}: errno {Marshal.GetLastPInvokeError()}");
            try
            {
                Termios t;
                Assert.Equal(0, TcGetAttr(slave, &t));
                Assert.Equal(3, t.ControlChars[VIntr]);
                Assert.Equal(4, t.ControlChars[VEof]);
                Assert.Equal(0xFu, t.OutputSpeed);   // B38400
                Assert.Equal(0xFu, t.InputSpeed);
                Assert.Equal(CS8, t.ControlFlags & CSize);
                Assert.NotEqual(0u, t.LocalFlags & ICanon);
                Assert.NotEqual(0u, t.LocalFlags & Echo);
                Assert.Equal(0, t.LineDiscipline);  // N_TTY
            }
            finally
            {
                Close(slave);
            }
        }
        finally
        {
            Close(master);
        }
    }

    [Fact]
    public void Raw_mode_and_framing_are_set_by_hand()
    {
        var t = default(Termios);
        t.LocalFlags = ICanon | Echo | ISig | IExten;
        t.InputFlags = ICrNl | IXon;
        t.OutputFlags = OPost;
        TermiosSettings.Apply(ref t, new SerialPortSettings { Path = "/dev/x", BaudRate = 19200, DataBits = 7, Parity = SerialParity.Even, StopBits = SerialStopBits.Two, RtsCts = true });
        Assert.Equal(0u, t.LocalFlags & (ICanon | Echo | ISig | IExten));
        Assert.Equal(0u, t.InputFlags & (ICrNl | IXon));
        Assert.Equal(0u, t.OutputFlags & OPost);
        Assert.Equal(CS7, t.ControlFlags & CSize);
        Assert.Equal(ParEnb, t.ControlFlags & (ParEnb | ParOdd));
        Assert.NotEqual(0u, t.ControlFlags & CStopB);
        Assert.NotEqual(0u, t.ControlFlags & CRtsCts);
        Assert.NotEqual(0u, t.ControlFlags & (CRead | Clocal));
        Assert.Equal(1, t.ControlChars[VMin]);
        Assert.Equal(0, t.ControlChars[VTime]);
        Assert.Equal(SpeedConstant(19200), t.OutputSpeed);

        TermiosSettings.Apply(ref t, new SerialPortSettings { Path = "/dev/x", BaudRate = 1200, Parity = SerialParity.Odd });
        Assert.Equal(CS8, t.ControlFlags & CSize);
        Assert.Equal(ParEnb | ParOdd, t.ControlFlags & (ParEnb | ParOdd));
        Assert.Equal(0u, t.ControlFlags & (CStopB | CRtsCts));
        Assert.Equal(SpeedConstant(1200), t.InputSpeed);
    }

    [Theory]
    [InlineData(1234, 8, "BaudRate")]
    [InlineData(9600, 6, "DataBits")]
    public void Bad_settings_name_the_setting(int baud, int dataBits, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SerialPortSettings { Path = "/dev/ttyS9", BaudRate = baud, DataBits = dataBits }.Validate());
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("/dev/ttyS9", ex.Message);
    }
}
