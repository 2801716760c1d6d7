using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Telecare.Gateway.Tests.Support;

/// <summary>
/// A small SignalR client speaking the JSON hub protocol over a WebSocket (the .NET SignalR client package is not
/// available here). It connects straight to the hub URL (no negotiate), handshakes, invokes methods and records
/// every server-to-client invocation so tests can wait for the next event they expect.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly WebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<(string Target, JsonElement[] Arguments)> _events = [];
    private readonly Channel<bool> _eventArrived = Channel.CreateUnbounded<bool>();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _invocationId;

    private HubClient(WebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public bool Closed { get; private set; }

    /// <summary>Called on the reader as each server-to-client invocation arrives (the latency benchmark timestamps them).</summary>
    public Action<string, JsonElement[]>? OnEvent { get; set; }

    public string? CloseError { get; private set; }

    public static async Task<HubClient> ConnectAsync(Func<CancellationToken, Task<WebSocket>> connect)
    {
        var socket = await connect(CancellationToken.None);
        var client = new HubClient(socket);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        await client._handshake.Task.WaitAsync(DefaultWait);
        return client;
    }

    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(string Target, JsonElement[] Arguments)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Invokes a hub method and returns its result; a hub error becomes a <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var message = JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }, JsonSerializerOptions.Web);
        await SendAsync(message);
        return await completion.Task.WaitAsync(DefaultWait);
    }

    public async Task<T> InvokeAsync<T>(string method, params object?[] arguments) =>
        (await InvokeAsync(method, arguments)).Deserialize<T>(JsonSerializerOptions.Web)!;

    /// <summary>Waits until an event named <paramref name="target"/> whose first argument matches has arrived (or had already).</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            lock (_events)
            {
                foreach (var (name, args) in _events)
                {
                    if (name == target && (match is null || (args.Length > 0 && match(args[0]))))
                    {
                        return args.Length > 0 ? args[0] : default;
                    }
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || Closed)
            {
                throw new TimeoutException($"No '{target}' event arrived{(Closed ? " (connection closed: " + CloseError + ")" : "")}. Seen: {string.Join(", ", Events.Select(e => e.Target))}");
            }

            using var wait = new CancellationTokenSource(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            try
            {
                await _eventArrived.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public int Count(string target, Func<JsonElement, bool>? match = null) =>
        Events.Count(e => e.Target == target && (match is null || (e.Arguments.Length > 0 && match(e.Arguments[0]))));

    private async Task SendAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _send.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                // A decoder keeps a character split across two frames whole.
                var chunk = new string(chars, 0, decoder.GetChars(buffer, 0, result.Count, chars, 0));
                int start = 0, separator;
                while ((separator = chunk.IndexOf(RecordSeparator, start)) >= 0)
                {
                    text.Append(chunk, start, separator - start);
                    Handle(text.ToString());
                    text.Clear();
                    start = separator + 1;
                }

                text.Append(chunk, start, chunk.Length - start);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Closed = true;
            _handshake.TrySetException(new InvalidOperationException("the connection closed during the handshake"));
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("the connection closed"));
            }

            _eventArrived.Writer.TryWrite(true);
        }
    }

    private void Handle(string message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type))
        {
            if (root.TryGetProperty("error", out var error))
            {
                _handshake.TrySetException(new InvalidOperationException(error.GetString()));
            }
            else
            {
                _handshake.TrySetResult();
            }

            return;
        }

        switch (type.GetInt32())
        {
            case 1: // invocation from the server
                var target = root.GetProperty("target").GetString()!;
                var args = root.GetProperty("arguments").EnumerateArray().Select(a => a.Clone()).ToArray();
                lock (_events)
                {
                    _events.Add((target, args));
                }

                OnEvent?.Invoke(target, args);
                _eventArrived.Writer.TryWrite(true);
                break;
            case 3: // completion
                var id = root.GetProperty("invocationId").GetString()!;
                if (_pending.TryRemove(id, out var completion))
                {
                    if (root.TryGetProperty("error", out var failure))
                    {
                        completion.TrySetException(new HubInvocationException(failure.GetString()!));
                    }
                    else
                    {
                        completion.TrySetResult(root.TryGetProperty("result", out var value) ? value.Clone() : default);
                    }
                }

                break;
            case 7: // close
                CloseError = root.TryGetProperty("error", out var closeError) ? closeError.GetString() : null;
                Closed = true;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }

        await _stop.CancelAsync();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}

public sealed class HubInvocationException(string message) : Exception(message);
