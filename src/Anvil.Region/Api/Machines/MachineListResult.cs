using Anvil.Data.Machines;
using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// A machine listing streamed to the client as it is rendered (chunked, no Content-Length): ten
/// thousand machines are ~80 MiB of JSON, which is neither buffered nor sent only after the last byte is written.
/// </summary>
internal sealed class MachineListResult(IEnumerable<MachineView> machines) : ApiResult
{
    public override async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = JsonContentType;
        await MachineJson.WriteManyAsync(machines, context.Response.BodyWriter, context.RequestAborted);
    }
}
