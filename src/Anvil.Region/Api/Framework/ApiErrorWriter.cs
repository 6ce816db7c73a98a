using System.Text.Json;
using Anvil.Domain.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Anvil.Region.Api.Framework;

/// <summary>Turns a refusal into MAAS's status, headers and body (§2.5 of the MAAS facts).</summary>
internal static class ApiErrorWriter
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ApiResult ResultFor(AnvilException exception)
    {
        var status = StatusOf(exception.Kind);
        return exception is ValidationException validation
            ? ApiResult.JsonUtf8(JsonSerializer.SerializeToUtf8Bytes(validation.FieldErrors, ApiJson.Options), status)
            : ApiResult.Text(exception.Message, status);
    }

    /// <summary>
    /// Headers a status needs: <c>Date</c> on 401/403 (machine-side clients correct their clock
    /// from it and retry), <c>Retry-After</c> on 503, an OAuth challenge on 401.
    /// </summary>
    public static void AddStatusHeaders(HttpResponse response, int status, TimeProvider time)
    {
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            response.Headers.Date = time.GetUtcNow().ToString("R");
        if (status == StatusCodes.Status401Unauthorized)
            response.Headers.WWWAuthenticate = "OAuth realm=\"MAAS API\"";
        if (status == StatusCodes.Status503ServiceUnavailable)
            response.Headers[HeaderNames.RetryAfter] = "10";
    }
}
