using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace Telecare.Protocols.Serial;

/// <summary>
/// A Linux serial line (a tty: UART, USB adapter or pseudo-terminal) as an <see cref="IDuplexPipe"/>.
/// A dedicated thread blocks in <c>poll</c> on the tty and a wake-up eventfd and pumps bytes into
/// <see cref="Input"/>; bytes written to <see cref="Output"/> go to the tty. When the device goes away
/// (hang-up, USB adapter unplugged) <see cref="Input"/> completes with a <see cref="SerialPortException"/>
/// (<see cref="SerialPortException.IsHangUp"/>) and so does <see cref="Completion"/>: dispose and open again.
/// </summary>
public sealed partial class LinuxSerialPort : IDuplexPipe, IAsyncDisposable, IDisposable
{
    private const int ReadChunk = 4096;

    private readonly SafeFileDescriptorHandle _fd;
    private readonly SafeFileDescriptorHandle _wake;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Thread _reader;
    private readonly Task _writer;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private LinuxSerialPort(SerialPortSettings settings, SafeFileDescriptorHandle fd, SafeFileDescriptorHandle wake, PipeOptions? inputOptions)
    {
        Settings = settings;
        _fd = fd;
        _wake = wake;
        _input = new Pipe(inputOptions ?? new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(useSynchronizationContext: false));
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"serial-read {settings.Path}" };
        _reader.Start();
        _writer = Task.Run(WriteLoopAsync);
    }

    public SerialPortSettings Settings { get; }

    /// <summary>Bytes received from the line.</summary>
    public PipeReader Input => _input.Reader;

    /// <summary>Bytes to send (e.g. ACK 0x06 / NAK 0x15); sent when flushed.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>Completes when reading stops: faulted with a <see cref="SerialPortException"/> on hang-up or error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Opens and configures the tty. Errors name the path and the errno.</summary>
    public static unsafe LinuxSerialPort Open(SerialPortSettings settings, PipeOptions? inputOptions = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            throw new PlatformNotSupportedException("LinuxSerialPort needs Linux on x64 or arm64 (the termios layout is pinned for those)");
        }

        var path = settings.Path;
        var fd = Interop.Open(path, Interop.ORdWr | Interop.ONoCtty | Interop.ONonBlock | Interop.OCloExec);
        if (fd < 0)
        {
            throw new SerialPortException(path, "cannot open", Marshal.GetLastPInvokeError());
        }

        var handle = new SafeFileDescriptorHandle(fd);
        SafeFileDescriptorHandle? wake = null;
        try
        {
            Termios t;
            if (Interop.TcGetAttr(fd, &t) != 0)
            {
                throw new SerialPortException(path, "not a serial device (tcgetattr)", Marshal.GetLastPInvokeError());
            }

            // A second reader on the same line would steal and double-acknowledge messages.
            if (Interop.Ioctl(fd, Interop.TiocExcl) != 0)
            {
                throw new SerialPortException(path, "cannot take exclusive use (TIOCEXCL)", Marshal.GetLastPInvokeError());
            }

            TermiosSettings.Apply(ref t, settings);
            if (Interop.TcSetAttr(fd, Interop.TcsaNow, &t) != 0)
            {
                throw new SerialPortException(path, $"cannot apply {settings} (tcsetattr)", Marshal.GetLastPInvokeError());
            }

            // tcsetattr succeeds if any part applied; the speed is the part a driver refuses.
            Termios applied;
            if (Interop.TcGetAttr(fd, &applied) != 0)
            {
                throw new SerialPortException(path, "cannot read back settings (tcgetattr)", Marshal.GetLastPInvokeError());
            }

            if (Interop.CfGetOSpeed(&applied) != Interop.SpeedConstant(settings.BaudRate))
            {
                throw new SerialPortException(path, $"the driver refused {settings.BaudRate} baud");
            }

            var wakeFd = Interop.EventFd(0, Interop.EfdCloExec | Interop.EfdNonBlock);
            if (wakeFd < 0)
            {
                throw new SerialPortException(path, "cannot create the wake-up eventfd", Marshal.GetLastPInvokeError());
            }

            wake = new SafeFileDescriptorHandle(wakeFd);
            return new LinuxSerialPort(settings, handle, wake, inputOptions);
        }
        catch
        {
            wake?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The termios the kernel holds now (for diagnostics and tests).</summary>
    internal unsafe Termios ReadAttributes()
    {
        Termios t;
        if (Interop.TcGetAttr(_fd.Fd, &t) != 0)
        {
            throw new SerialPortException(Settings.Path, "tcgetattr failed", Marshal.GetLastPInvokeError());
        }

        return t;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SignalWake();
        _input.Writer.CancelPendingFlush();
        _output.Reader.CancelPendingRead();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The write loop has already completed its pipe with this error.
        }

        await Task.Run(() => _reader.Join()).ConfigureAwait(false);
        Interop.Ioctl(_fd.Fd, Interop.TiocNxcl);
        _fd.Dispose();
        _wake.Dispose();
    }

    private unsafe void SignalWake()
    {
        ulong one = 1;
        Interop.Write(_wake.Fd, (byte*)&one, sizeof(ulong));
    }

    private unsafe void ReadLoop()
    {
        Exception? error = null;
        var writer = _input.Writer;
        var fd = _fd.Fd;
        var fds = stackalloc Interop.PollFd[2];
        try
        {
            while (true)
            {
                fds[0] = new Interop.PollFd { Fd = fd, Events = Interop.PollIn };
                fds[1] = new Interop.PollFd { Fd = _wake.Fd, Events = Interop.PollIn };
                if (Interop.Poll(fds, 2, -1) < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.EIntr)
                    {
                        continue;
                    }

                    error = new SerialPortException(Settings.Path, "poll failed", errno);
                    break;
                }

                if (fds[1].Revents != 0)
                {
                    break; // disposing
                }

                var events = fds[0].Revents;
                if ((events & Interop.PollIn) != 0)
                {
                    var span = writer.GetSpan(ReadChunk);
                    nint n;
                    fixed (byte* p = span)
                    {
                        n = Interop.Read(fd, p, span.Length);
                    }

                    if (n > 0)
                    {
                        writer.Advance((int)n);
                        var flush = writer.FlushAsync().AsTask().GetAwaiter().GetResult();
                        if (flush.IsCompleted || flush.IsCanceled)
                        {
                            break; // the consumer stopped reading, or we are disposing
                        }

                        continue;
                    }

                    if (n == 0)
                    {
                        error = HangUp("end of file: the line hung up");
                        break;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is Interop.EAgain or Interop.EIntr)
                    {
                        continue;
                    }

                    error = errno is Interop.EIo or Interop.ENxio or Interop.ENoDev
                        ? new SerialPortException(Settings.Path, "read failed, the device went away", errno) { IsHangUp = true }
                        : new SerialPortException(Settings.Path, "read failed", errno);
                    break;
                }

                if ((events & (Interop.PollHup | Interop.PollErr | Interop.PollNval)) != 0)
                {
                    error = HangUp((events & Interop.PollNval) != 0 ? "the descriptor is no longer valid" : "hang-up: the device went away");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        writer.Complete(error);
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    private SerialPortException HangUp(string what) => new(Settings.Path, what) { IsHangUp = true };

    private async Task WriteLoopAsync()
    {
        var reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    WriteAll(segment.Span);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await reader.CompleteAsync(error).ConfigureAwait(false);
    }

    private unsafe void WriteAll(ReadOnlySpan<byte> data)
    {
        var fd = _fd.Fd;
        while (!data.IsEmpty)
        {
            nint n;
            fixed (byte* p = data)
            {
                n = Interop.Write(fd, p, data.Length);
            }

            if (n >= 0)
            {
                data = data[(int)n..];
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.EIntr)
            {
                continue;
            }

            if (errno == Interop.EAgain)
            {
                WaitWritable(fd);
                continue;
            }

            throw new SerialPortException(Settings.Path, "write failed", errno) { IsHangUp = errno is Interop.EIo or Interop.ENxio or Interop.ENoDev };
        }
    }

    // The kernel's output queue is full (flow control holding it): wait for room or for Dispose.
    private unsafe void WaitWritable(int fd)
    {
        var fds = stackalloc Interop.PollFd[2];
        while (true)
        {
            fds[0] = new Interop.PollFd { Fd = fd, Events = Interop.PollOut };
            fds[1] = new Interop.PollFd { Fd = _wake.Fd, Events = Interop.PollIn };
            if (Interop.Poll(fds, 2, -1) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.EIntr)
                {
                    continue;
                }

                throw new SerialPortException(Settings.Path, "poll for writing failed", errno);
            }

            if (fds[1].Revents != 0)
            {
                throw new ObjectDisposedException(nameof(LinuxSerialPort), $"{Settings.Path}: closed while writing");
            }

            if ((fds[0].Revents & (Interop.PollHup | Interop.PollErr | Interop.PollNval)) != 0)
            {
                throw HangUp("hang-up while writing");
            }

            if ((fds[0].Revents & Interop.PollOut) != 0)
            {
                return;
            }
        }
    }
}
