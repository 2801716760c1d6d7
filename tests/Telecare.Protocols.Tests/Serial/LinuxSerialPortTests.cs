using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Telecare.FirmwareSim.Serial;
using Telecare.Protocols.Serial;
using static Telecare.Protocols.Serial.LinuxSerialPort.Interop;

namespace Telecare.Protocols.Tests.Serial;

public sealed class LinuxSerialPortTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static TheoryData<int, int, SerialParity> Framings() => new()
    {
        { 9600, 8, SerialParity.None },
        { 19200, 7, SerialParity.Even },
    };

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task Bytes_flow_both_ways_over_a_real_pty_pair(int baud, int dataBits, SerialParity parity)
    {
        await using var pair = await SocatPtyPair.StartAsync();
        await using var a = LinuxSerialPort.Open(Settings(pair.PathA, baud, dataBits, parity));
        await using var b = LinuxSerialPort.Open(Settings(pair.PathB, baud, dataBits, parity));

        var attrs = a.ReadAttributes();
        Assert.Equal(SpeedConstant(baud), attrs.OutputSpeed);
        Assert.Equal(0u, attrs.LocalFlags & (ICanon | Echo | ISig));
        Assert.Equal(0u, attrs.InputFlags & (ICrNl | IXon));

        // 7-bit ASCII only, so the same test is honest at 7 data bits; CR and LF must pass untranslated.
        var toB = Encoding.ASCII.GetBytes("5011 181234E10101001\u0014\r\n");
        await WriteAsync(a.Output, toB);
        Assert.Equal(toB, await ReadExactlyAsync(b.Input, toB.Length));

        await WriteAsync(b.Output, [0x06, 0x15]);
        Assert.Equal(new byte[] { 0x06, 0x15 }, await ReadExactlyAsync(a.Input, 2));

        // A larger burst than one read chunk keeps its order.
        var burst = Enumerable.Range(0, 20_000).Select(i => (byte)(0x20 + (i % 90))).ToArray();
        var reading = ReadExactlyAsync(a.Input, burst.Length);
        await WriteAsync(b.Output, burst);
        Assert.Equal(burst, await reading);
    }

    [Fact]
    public async Task The_reader_reports_the_pty_vanishing_and_the_port_reopens_when_it_returns()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var a = LinuxSerialPort.Open(Settings(pair.PathA));
        var b = LinuxSerialPort.Open(Settings(pair.PathB));
        await WriteAsync(a.Output, "ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await ReadExactlyAsync(b.Input, 4));

        pair.Kill();

        var error = await Assert.ThrowsAsync<SerialPortException>(async () =>
        {
            while (true)
            {
                var r = await a.Input.ReadAsync().AsTask().WaitAsync(Timeout);
                a.Input.AdvanceTo(r.Buffer.End);
                Assert.False(r.IsCompleted, "the input ended without saying why");
            }
        });
        Assert.True(error.IsHangUp);
        Assert.Contains(pair.PathA, error.Message);
        var completion = await Assert.ThrowsAsync<SerialPortException>(() => a.Completion.WaitAsync(Timeout));
        Assert.True(completion.IsHangUp);
        await Assert.ThrowsAsync<SerialPortException>(() => b.Completion.WaitAsync(Timeout));
        await a.DisposeAsync();
        await b.DisposeAsync();

        // The adapter is back: open the same paths again.
        await pair.RestartAsync();
        await using var a2 = LinuxSerialPort.Open(Settings(pair.PathA));
        await using var b2 = LinuxSerialPort.Open(Settings(pair.PathB));
        await WriteAsync(b2.Output, "again"u8.ToArray());
        Assert.Equal("again"u8.ToArray(), await ReadExactlyAsync(a2.Input, 5));
    }

    [Fact]
    public async Task Dispose_stops_the_reader_cleanly()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var a = LinuxSerialPort.Open(Settings(pair.PathA));
        var pending = a.Input.ReadAsync().AsTask();
        await a.DisposeAsync();
        await a.Completion.WaitAsync(Timeout);
        var r = await pending.WaitAsync(Timeout);
        Assert.True(r.IsCompleted);
    }

    [Fact]
    public void Open_errors_name_the_path_and_errno()
    {
        var missing = Path.Combine(Path.GetTempPath(), "telecare-no-such-tty-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<SerialPortException>(() => LinuxSerialPort.Open(Settings(missing)));
        Assert.Equal(2, ex.Errno);
        Assert.Contains(missing, ex.Message);
        Assert.Contains("errno 2", ex.Message);

        var file = Path.GetTempFileName();
        try
        {
            var notTty = Assert.Throws<SerialPortException>(() => LinuxSerialPort.Open(Settings(file)));
            Assert.Contains(file, notTty.Message);
            Assert.Contains("tcgetattr", notTty.Message);
            Assert.Equal(25, notTty.Errno); // ENOTTY
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static SerialPortSettings Settings(string path, int baud = 9600, int dataBits = 8, SerialParity parity = SerialParity.None) =>
        new() { Path = path, BaudRate = baud, DataBits = dataBits, Parity = parity };

    internal static async Task WriteAsync(PipeWriter writer, byte[] data)
    {
        await writer.WriteAsync(data);
    }

    internal static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int count)
    {
        var received = new List<byte>(count);
        using var cts = new CancellationTokenSource(Timeout);
        while (received.Count < count)
        {
            var r = await reader.ReadAsync(cts.Token);
            var take = (int)Math.Min(count - received.Count, r.Buffer.Length);
            received.AddRange(r.Buffer.Slice(0, take).ToArray());
            reader.AdvanceTo(r.Buffer.GetPosition(take));
            if (r.IsCompleted && received.Count < count)
            {
                throw new EndOfStreamException($"the input ended after {received.Count} of {count} bytes");
            }
        }

        return received.ToArray();
    }
}
