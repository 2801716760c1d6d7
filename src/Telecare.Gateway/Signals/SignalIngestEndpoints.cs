using System.Buffers;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Signals;

/// <summary>POST /api/v1/signals: the HTTP ingress. 202 only after the durable commit.</summary>
public static partial class SignalIngestEndpoints
{
    public sealed record ReceiptResponse(long SignalId, DateTimeOffset ReceivedAt, bool Duplicate);

    public static IEndpointRouteBuilder MapSignalIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/signals", IngestAsync)
            .RequireAuthorization(Policies.IngestSignals)
            .WithName("IngestSignal")
            .WithTags("Signals")
            .Accepts<object>("application/json")
            .Produces<ReceiptResponse>(StatusCodes.Status202Accepted)
            .Produces<ReceiptResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http,
        ISignalSink sink,
        IOptions<SignalOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Telecare.Signals.Http");
        var limit = options.Value.MaxBodyBytes;
        var (body, tooLarge) = await ReadBodyAsync(http, limit, cancellationToken);

        if (tooLarge)
        {
            await StoreRejectedAsync(sink, body, "unknown", $"body larger than {limit} bytes", cancellationToken);
            LogRejected(logger, "body", "too large");
            return Results.Problem(
                title: "Signal body too large",
                detail: $"The body is larger than the limit of {limit} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"larger than {limit} bytes"] } });
        }

        var parsed = HttpSignalParser.Parse(body);
        if (parsed.Signal is null)
        {
            await StoreRejectedAsync(sink, body, parsed.DeviceRef, $"{parsed.Field}: {parsed.Error}", cancellationToken);
            LogRejected(logger, parsed.Field!, parsed.Error!);
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [parsed.Field!] = [parsed.Error!] },
                title: "The signal was rejected",
                detail: $"{parsed.Field}: {parsed.Error}. The raw body was stored as a rejected signal.");
        }

        var receipt = await sink.SubmitAsync(parsed.Signal, cancellationToken);
        var response = new ReceiptResponse(receipt.SignalId, receipt.ReceivedAt, receipt.Duplicate);
        return receipt.Duplicate ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status202Accepted);
    }

    private static Task StoreRejectedAsync(ISignalSink sink, ReadOnlyMemory<byte> body, string deviceRef, string reason, CancellationToken cancellationToken) =>
        sink.SubmitAsync(new IncomingSignal
        {
            Source = SignalSource.Http,
            DeviceRef = deviceRef,
            RawFrame = body,
            RejectionReason = reason,
        }, cancellationToken).AsTask();

    /// <summary>Reads at most <paramref name="limit"/> bytes; a longer body is cut there and reported, never buffered whole.</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, bool TooLarge)> ReadBodyAsync(HttpContext http, int limit, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
        {
            var head = await ReadUpToAsync(http.Request.Body, limit, cancellationToken);
            return (head, true);
        }

        var body = await ReadUpToAsync(http.Request.Body, limit + 1, cancellationToken);
        return body.Length > limit ? (body[..limit], true) : (body, false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadUpToAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(max, 4096));
        while (buffer.WrittenCount < max)
        {
            var memory = buffer.GetMemory(Math.Min(4096, max - buffer.WrittenCount))[..Math.Min(4096, max - buffer.WrittenCount)];
            var read = await stream.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
        }

        return buffer.WrittenMemory;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Rejected HTTP signal: {Field} {Reason}")]
    private static partial void LogRejected(ILogger logger, string field, string reason);
}
