using System.Globalization;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Metadata;

/// <summary>The fields of <c>op=signal</c> (maas-api.md §7.3).</summary>
internal sealed record SignalRequest(
    SignalStatus Status,
    string StatusText,
    string? Error,
    long? ScriptResultId,
    string? Name,
    int? ExitStatus,
    long? ScriptVersionId,
    double? Runtime,
    string? PowerType,
    string? PowerParameters,
    IReadOnlyList<ApiFile> Files)
{
    public static SignalRequest Parse(MetadataRequest r)
    {
        var text = r.Field("status") ?? throw new ValidationException("status", "No provided status!");
        if (!SignalStatuses.TryParse(text, out var status))
            throw new BadRequestException($"Unknown status: '{text}'");
        return new SignalRequest(
            status,
            text,
            r.Field("error"),
            Long(r, "script_result_id"),
            r.Field("name"),
            // MAAS's runner sends exit_status; older scripts script_result, cloud-init result.
            Int(r, "exit_status") ?? Int(r, "script_result") ?? Int(r, "result"),
            Long(r, "script_version_id"),
            r.Field("runtime") is { Length: > 0 } runtime
                ? double.TryParse(runtime, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0
                    ? seconds
                    : throw new ValidationException("runtime", "Please enter a number")
                : null,
            r.Field("power_type"),
            r.Field("power_parameters"),
            r.Body.Files);
    }

    private static int? Int(MetadataRequest r, string name) =>
        r.Field(name) is { Length: > 0 } v
            ? int.TryParse(v.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw new ValidationException(name, "Please enter an integer value")
            : null;

    private static long? Long(MetadataRequest r, string name) =>
        r.Field(name) is { Length: > 0 } v
            ? long.TryParse(v.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw new ValidationException(name, "Please enter an integer value")
            : null;
}
