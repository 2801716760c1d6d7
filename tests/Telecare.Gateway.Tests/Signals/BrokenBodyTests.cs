using System.Net.Sockets;
using System.Text;
using Telecare.Core.Accounts;
using Telecare.Gateway.Security;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Signals;

/// <summary>
/// A body whose HTTP framing breaks halfway (a chunk size that is not hex) is the sender's fault, not the gateway's:
/// a 400 that says so, the part of a signal body that arrived kept as a rejected signal, and no error in the log (the
/// fuzz soak found these logged as unhandled exceptions, for bodies cut off by a client hanging up). Only Kestrel
/// reads the framing (the in-memory test server has none), so this runs against the real process.
/// </summary>
public sealed class BrokenBodyTests
{
    private const string ApiKey = "tgk_brokenbody_5a1e9c0d7b2f4e6a8c3d1b0f9e8d7c6b";

    [Fact]
    public async Task A_body_with_broken_framing_gets_a_400_the_signal_part_is_stored_as_rejected_and_nothing_is_logged_as_an_error()
    {
        using var directory = new TempDirectory();
        await using var gateway = new GatewayProcess(directory.Path, new Dictionary<string, string>
        {
            ["Security__Bootstrap__ApiKeys__0__Name"] = "broken-body-test",
            ["Security__Bootstrap__ApiKeys__0__Role"] = Roles.Admin,
            ["Security__Bootstrap__ApiKeys__0__Key"] = ApiKey,
        });
        await gateway.StartAsync();

        const string firstChunk = """{"deviceId":"broken-1","seq":1,""";
        var signal = await SendBrokenChunkedAsync(gateway.Port, "/api/v1/signals", firstChunk);
        Assert.StartsWith("HTTP/1.1 400", signal, StringComparison.Ordinal);
        Assert.Contains("stored as a rejected signal", signal, StringComparison.Ordinal);
        var zone = await SendBrokenChunkedAsync(gateway.Port, "/api/v1/zones", """{"name":"Half""");
        Assert.StartsWith("HTTP/1.1 400", zone, StringComparison.Ordinal);
        Assert.Contains("The request body could not be read", zone, StringComparison.Ordinal);

        // What arrived before the framing broke is kept: the first chunk when the gateway read it before the bad size
        // line came (the test pauses between them), nothing when both came in one read.
        Assert.Equal(1, StoreFile.Scalar(Path.Combine(directory.Path, "telecare.db"),
            $"SELECT COUNT(*) FROM signals WHERE rejection_reason = 'body: Bad chunk size data' AND instr('{firstChunk}', CAST(raw_frame AS TEXT)) = 1"));
        Assert.Equal(0, StoreFile.Scalar(Path.Combine(directory.Path, "telecare.db"), "SELECT COUNT(*) FROM zones WHERE name = 'Half'"));
        Assert.DoesNotContain(" ERR]", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" FTL]", gateway.Output, StringComparison.Ordinal);
    }

    /// <summary>A chunked body: one good chunk, then a chunk size that is not hex. Returns what the gateway answered.</summary>
    private static async Task<string> SendBrokenChunkedAsync(int port, string path, string firstChunk)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        var chunk = Encoding.UTF8.GetBytes(firstChunk);
        var request = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {ApiKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"{chunk.Length:x}\r\n{firstChunk}\r\n";
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        await Task.Delay(300);
        await socket.SendAsync("zz\r\n"u8.ToArray());

        // Kestrel answers and closes the connection: read until it does.
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
