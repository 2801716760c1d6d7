using Microsoft.AspNetCore.Diagnostics;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Api;

/// <summary>A request whose write could not be committed gets 503: nothing was stored, the caller should retry.</summary>
public sealed class StoreUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreUnavailableException)
        {
            return false;
        }

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Title = "The store cannot commit right now", Detail = "Nothing was stored. Retry.", Status = 503 },
        });
    }
}
