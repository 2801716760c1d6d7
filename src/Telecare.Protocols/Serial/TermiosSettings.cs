namespace Telecare.Protocols.Serial;

using static LinuxSerialPort.Interop;

/// <summary>Turns <see cref="SerialPortSettings"/> into termios flags: raw mode set by hand, then framing.</summary>
internal static unsafe class TermiosSettings
{
    public static void Apply(ref Termios t, SerialPortSettings settings)
    {
        // Raw mode (what cfmakeraw does): no input translation, no output processing, no echo,
        // no line editing, no signals; bytes go through untouched.
        t.InputFlags &= ~(IgnBrk | BrkInt | ParMrk | IStrip | InlCr | IgnCr | ICrNl | IXon | IXoff | IXany | InPck | IgnPar);
        t.OutputFlags &= ~OPost;
        t.LocalFlags &= ~(Echo | EchoNl | ICanon | ISig | IExten);

        t.ControlFlags &= ~(CSize | ParEnb | ParOdd | CStopB | CRtsCts);
        t.ControlFlags |= CRead | Clocal | (settings.DataBits == 7 ? CS7 : CS8);
        switch (settings.Parity)
        {
            case SerialParity.Even:
                t.ControlFlags |= ParEnb;
                t.InputFlags |= InPck; // a byte with a parity error reads as NUL: the codec sees noise, the line is NAKed
                break;
            case SerialParity.Odd:
                t.ControlFlags |= ParEnb | ParOdd;
                t.InputFlags |= InPck;
                break;
        }

        if (settings.StopBits == SerialStopBits.Two)
        {
            t.ControlFlags |= CStopB;
        }

        if (settings.RtsCts)
        {
            t.ControlFlags |= CRtsCts;
        }

        // Block for at least one byte, no inter-byte timer: poll decides when to read.
        t.ControlChars[VMin] = 1;
        t.ControlChars[VTime] = 0;

        var speed = SpeedConstant(settings.BaudRate);
        fixed (Termios* p = &t)
        {
            CfSetISpeed(p, speed);
            CfSetOSpeed(p, speed);
        }
    }
}
