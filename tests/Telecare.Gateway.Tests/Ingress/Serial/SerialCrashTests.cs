using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Telecare.Core.Accounts;
using Telecare.FirmwareSim.Receiver;
using Telecare.FirmwareSim.Serial;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;
using Telecare.Protocols.Receivers;
using Telecare.Protocols.Serial;
using Telecare.Testing;

namespace Telecare.Gateway.Tests.Ingress.Serial;

/// <summary>
/// ACK only after commit, against the real gateway process on a real kernel pty (socat): a gateway SIGKILLed
/// between reading a line and committing it never acknowledged it, so the receiver sends it again and the restarted
/// gateway stores it once; a line committed whose ACK the receiver missed is recognised when it comes again.
/// The test plays the receiver by hand on the other pty end, so each byte and each answer is the test's to check.
/// </summary>
public sealed class SerialCrashTests
{
    private const string ApiKey = "tgk_serkill1_4d2f8a61c93b47e0a5d6b1c8e7f09a32";
    private const string Device = "rx1/1234";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_gateway_killed_between_receive_and_commit_gets_the_line_again_and_does_not_double_it()
    {
        await using var rig = await Rig.StartAsync();
        var line = Line();

        using (var hold = rig.HoldWriteLock())
        {
            // The store cannot commit while the test holds its write lock (well inside the gateway's 30 s busy timeout).
            var before = rig.Gateway.BytesReadByThread("serial-read");
            await rig.Receiver.Output.WriteAsync(line);
            await Eventually.TrueAsync(() => rig.Gateway.BytesReadByThread("serial-read") >= before + line.Length, Wait,
                "the gateway to read the line off its pty");

            await AssertNoReplyAsync(rig.Receiver);
            Assert.Equal(0, rig.Count($"device_ref = '{Device}'"));

            rig.Gateway.Kill();
        }

        Assert.True(rig.Pair.IsRunning, "the pty pair must outlive the killed gateway");
        Assert.Equal(0, rig.Count($"device_ref = '{Device}'"));

        // No ACK came, so the receiver sends the same line again; the restarted gateway stores it and answers.
        await rig.RestartGatewayAsync();
        await rig.Receiver.Output.WriteAsync(line);
        Assert.Equal(0x06, await ReadReplyAsync(rig.Receiver));

        await rig.AssertStoredOnceWithOneCallAsync(line);
    }

    [Fact]
    public async Task A_line_committed_whose_ACK_the_receiver_missed_is_stored_once_when_it_comes_again()
    {
        await using var rig = await Rig.StartAsync();
        var line = Line();

        await rig.Receiver.Output.WriteAsync(line);
        Assert.Equal(0x06, await ReadReplyAsync(rig.Receiver));
        Assert.Equal(1, rig.Count($"device_ref = '{Device}'"));

        // Killed right after the commit; this receiver never saw the ACK, so it sends the line again.
        rig.Gateway.Kill();
        Assert.True(rig.Pair.IsRunning, "the pty pair must outlive the killed gateway");
        await rig.RestartGatewayAsync();
        await rig.Receiver.Output.WriteAsync(line);
        Assert.Equal(0x06, await ReadReplyAsync(rig.Receiver));

        await rig.AssertStoredOnceWithOneCallAsync(line);
    }

    /// <summary>A Sur-Gard MLR2 line as the receiver prints it: account 1234, new event 101 (pendant press), zone 1.</summary>
    private static byte[] Line()
    {
        var options = new ReceiverEmulatorOptions { Dialect = ReceiverDialect.SurGardMlr2 };
        var text = ReceiverLineFormatter.EventText(options, new ReceiverEmulatorEvent("1234", ContactIdQualifier.New, 101, 1, 1));
        return ReceiverLineFormatter.Frame(ReceiverDialect.SurGardMlr2, text);
    }

    private static async Task<byte> ReadReplyAsync(LinuxSerialPort port)
    {
        var read = await port.Input.ReadAsync().AsTask().WaitAsync(Wait);
        var reply = read.Buffer.FirstSpan[0];
        port.Input.AdvanceTo(read.Buffer.GetPosition(1));
        return reply;
    }

    /// <summary>A bounded wait for silence: the one kind of absence a test can only watch for a while.</summary>
    private static async Task AssertNoReplyAsync(LinuxSerialPort port)
    {
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        try
        {
            var read = await port.Input.ReadAsync(quiet.Token);
            Assert.Fail($"the gateway answered 0x{read.Buffer.FirstSpan[0]:X2} before it could commit the line");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempDirectory _directory;
        private readonly Dictionary<string, string> _environment;

        private Rig(TempDirectory directory, SocatPtyPair pair)
        {
            _directory = directory;
            Pair = pair;
            _environment = new Dictionary<string, string>
            {
                ["Serial__Ports__0__Path"] = pair.PathB,
                ["Serial__Ports__0__ReceiverId"] = "rx1",
                ["Serial__Ports__0__Dialect"] = nameof(ReceiverDialect.SurGardMlr2),
                ["Serial__Ports__0__BaudRate"] = "9600",
                ["Security__Bootstrap__ApiKeys__0__Name"] = "serial-crash-test",
                ["Security__Bootstrap__ApiKeys__0__Role"] = Roles.Installer,
                ["Security__Bootstrap__ApiKeys__0__Key"] = ApiKey,
            };
            Gateway = new GatewayProcess(directory.Path, _environment);
            Receiver = LinuxSerialPort.Open(new SerialPortSettings { Path = pair.PathA, BaudRate = 9600 });
        }

        public SocatPtyPair Pair { get; }

        public GatewayProcess Gateway { get; private set; }

        /// <summary>The receiver's end of the line.</summary>
        public LinuxSerialPort Receiver { get; }

        private string DatabasePath => Path.Combine(_directory.Path, "telecare.db");

        public static async Task<Rig> StartAsync()
        {
            var directory = new TempDirectory();
            SocatPtyPair? pair = null;
            Rig? rig = null;
            try
            {
                pair = await SocatPtyPair.StartAsync();
                rig = new Rig(directory, pair);
                await rig.Gateway.StartAsync();
                await rig.RegisterAccountAsync();
                return rig;
            }
            catch
            {
                if (rig is not null)
                {
                    await rig.DisposeAsync();
                }
                else
                {
                    if (pair is not null)
                    {
                        await pair.DisposeAsync();
                    }

                    directory.Dispose();
                }

                throw;
            }
        }

        /// <summary>Starts a new gateway process on the same database and the same pty path (it is ready once the port is open).</summary>
        public async Task RestartGatewayAsync()
        {
            Gateway.Kill();
            await Gateway.DisposeAsync();
            Gateway = new GatewayProcess(_directory.Path, _environment);
            await Gateway.StartAsync();
        }

        /// <summary>Takes SQLite's write lock on the gateway's file from this process; disposing releases it.</summary>
        public SqliteConnection HoldWriteLock() => StoreFile.HoldWriteLock(DatabasePath);

        public long Count(string where) => Scalar($"SELECT COUNT(*) FROM signals WHERE {where}");

        public long Scalar(string sql) => StoreFile.Scalar(DatabasePath, sql);

        /// <summary>The line is one signal, its raw text kept, triaged into exactly one call.</summary>
        public async Task AssertStoredOnceWithOneCallAsync(byte[] line)
        {
            // A duplicate is recognised before its ACK and never reaches triage, so once the one signal is triaged
            // no second call can still be on its way.
            await Eventually.TrueAsync(() => Count($"device_ref = '{Device}' AND triaged = 1") == 1, Wait, "the signal to be triaged");
            Assert.Equal(1, Count($"device_ref = '{Device}'"));
            Assert.Equal(1, Count($"device_ref = '{Device}' AND event_type = 'pendant.press' AND rejection_reason IS NULL AND raw_frame = X'{Convert.ToHexString(line)}'"));
            Assert.Equal(0, Count("rejection_reason IS NOT NULL"));
            Assert.Equal(1, Scalar("SELECT COUNT(*) FROM calls"));
            Assert.Equal(1, Scalar($"SELECT COUNT(*) FROM calls c JOIN signals s ON s.id = c.first_signal_id AND s.call_id = c.id WHERE c.device_ref = '{Device}'"));
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Receiver.DisposeAsync();
            await Pair.DisposeAsync();
            _directory.Dispose();
        }

        private async Task RegisterAccountAsync()
        {
            using var http = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = Wait };
            http.DefaultRequestHeaders.Add(Policies.ApiKeyHeader, ApiKey);
            using var body = new StringContent("""{"type":"receiver-account","receiverId":"rx1","account":"1234"}""", Encoding.UTF8);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await http.PostAsync("/api/v1/devices", body);
            Assert.True(response.IsSuccessStatusCode, $"registering the receiver account: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
