using Telecare.Gateway.Signals;
using System.Buffers;
using Microsoft.Extensions.Options;
using Telecare.Core.Signals;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Api;

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
        var (body, tooLarge, readError) = await ReadBodyAsync(http, limit, cancellationToken);

        if (readError is not null)
        {
            // The sender hung up or broke the framing mid-body: what arrived is kept, and it is told why if it is still there.
            await StoreRejectedAsync(sink, body, "unknown", $"body: {readError}", cancellationToken);
            LogRejected(logger, "body", readError);
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [readError] },
                title: "The signal was rejected",
                detail: $"body: {readError}. What arrived was stored as a rejected signal.");
        }

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

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes; a longer body is cut there and reported, never buffered whole. A
    /// body that ends before its stated length (Kestrel's BadHttpRequestException) is returned as far as it came, with why.
    /// </summary>
    private static async Task<(ReadOnlyMemory<byte> Body, bool TooLarge, string? ReadError)> ReadBodyAsync(HttpContext http, int limit, CancellationToken cancellationToken)
    {
        var declaredTooLarge = http.Request.ContentLength > limit;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit + 1, 4096));
        var max = declaredTooLarge ? limit : limit + 1;
        try
        {
            while (buffer.WrittenCount < max)
            {
                var want = Math.Min(4096, max - buffer.WrittenCount);
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(want)[..want], cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
            }
        }
        catch (BadHttpRequestException e)
        {
            return (buffer.WrittenMemory, false, FirstSentence(e.Message));
        }

        var body = buffer.WrittenMemory;
        return body.Length > limit ? (body[..limit], true, null) : (body, declaredTooLarge, null);
    }

    private static string FirstSentence(string message) => message.TrimEnd('.').Split(". ")[0];

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Rejected HTTP signal: {Field} {Reason}")]
    private static partial void LogRejected(ILogger logger, string field, string reason);
}
