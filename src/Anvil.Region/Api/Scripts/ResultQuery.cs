using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Scripts;

/// <summary>
/// The <c>filters</c>, <c>hardware_type</c> and <c>include_output</c> of a results request (MAAS's
/// filter_script_results): a result is shown when its script's name, one of its script's tags, or
/// its id is in the filters, and its script is for the hardware type.
/// </summary>
internal sealed record ResultQuery(IReadOnlyList<string>? Filters, int? HardwareType, bool IncludeOutput)
{
    public static ResultQuery From(ApiRequest request)
    {
        int? hardware = null;
        if (request.String("hardware_type") is { Length: > 0 } h)
        {
            try
            {
                hardware = (int)ScriptMetadataConversions.ParseHardwareType("hardware_type", h);
            }
            catch (ValidationException e)
            {
                throw new BadRequestException(e.FieldErrors.First().Value[0]);
            }
        }

        // MAAS reads include_output with formencode's Bool: any non-empty value is true.
        return new ResultQuery(request.String("filters")?.Split(','), hardware, request.String("include_output") is { Length: > 0 });
    }

    public IReadOnlyList<ScriptResultRecord> Apply(IEnumerable<ScriptResultRecord> results)
    {
        var shown = results.Where(r => Filters is null || Filters.Any(f => Selects(f, r)));
        if (HardwareType is { } type)
            shown = shown.Where(r => r.ScriptHardwareType == type);
        return ScriptResultJson.Sorted(shown);
    }

    private static bool Selects(string filter, ScriptResultRecord result) =>
        filter == result.ScriptName
        || (result.ScriptTags ?? []).Contains(filter)
        || (filter.Length is > 0 and < 19 && filter.All(char.IsAsciiDigit) && long.Parse(filter, System.Globalization.CultureInfo.InvariantCulture) == result.Id);
}
