using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Telecare.Gateway.Api;

/// <summary>
/// Reads a JSON body into <typeparamref name="T"/>, or answers 400 problem details naming the field: malformed JSON,
/// a wrong type (from the reader's path) and missing or out-of-range fields (from data annotations).
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = 16 };

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (http.Request.ContentLength > MaxBytes)
        {
            return (null, Invalid("body", $"larger than {MaxBytes} bytes"));
        }

        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Options, http.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            // The body ended before its stated length (the client hung up) or broke Kestrel's limits: the client's fault.
            return (null, TypedResults.Problem(title: "The request body could not be read", detail: ex.Message, statusCode: ex.StatusCode));
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, ex.LineNumber is null ? "malformed JSON" : $"invalid value or malformed JSON ({FirstSentence(ex.Message)})"));
        }

        if (value is null)
        {
            return (null, Invalid("body", "a JSON object is required"));
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            var errors = results
                .SelectMany(r => r.MemberNames.DefaultIfEmpty("body").Select(m => (Field: JsonNamingPolicy.CamelCase.ConvertName(m), r.ErrorMessage)))
                .GroupBy(e => e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "invalid").ToArray());
            return (null, TypedResults.ValidationProblem(errors, title: "The request is not valid"));
        }

        return (value, null);
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid");

    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"{what} does not exist.", statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
