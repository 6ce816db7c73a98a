using System.Globalization;
using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Domain.Network;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>Finds the objects URLs and parameters name, with MAAS's 404 texts.</summary>
internal static class NetworkLookups
{
    public const string InvalidChoice = "Select a valid choice. That choice is not one of the available choices.";

    public static async Task<FabricRecord> FabricAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string key, CancellationToken ct) =>
        await FabricStore.FindAsync(c, tx, key, ct) ?? throw new NotFoundException("No Fabric matches the given query.");

    /// <summary>A VLAN by its fabric (id or name) and vid (a number, or <c>untagged</c> for vid 0).</summary>
    public static async Task<VlanRecord> VlanAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string fabricKey, string vidText, CancellationToken ct)
    {
        var fabric = await FabricAsync(c, tx, fabricKey, ct);
        var vid = vidText == "untagged" ? 0 : int.TryParse(vidText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        return (vid >= 0 ? await VlanStore.FindAsync(c, tx, fabric.Id, vid, ct) : null) ?? throw VlanNotFound();
    }

    public static async Task<VlanRecord> VlanAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string idText, CancellationToken ct) =>
        (long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await VlanStore.FindAsync(c, tx, id, ct) : null)
        ?? throw VlanNotFound();

    /// <summary>The one subnet a specifier (id, CIDR, name, or <c>type:value</c>) selects.</summary>
    public static async Task<SubnetRecord> SubnetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string specifier, CancellationToken ct)
    {
        var matches = await SubnetStore.FindAsync(c, tx, SubnetSpecifier.Parse(specifier), ct);
        return matches.Count switch
        {
            0 => throw new NotFoundException("No Subnet matches the given query."),
            1 => matches[0],
            _ => throw new BadRequestException($"The specifier '{specifier}' matches more than one subnet."),
        };
    }

    /// <summary>A subnet named by a form field; a missing one is a field error, not a 404.</summary>
    public static async Task<SubnetRecord?> SubnetFieldAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string specifier, CancellationToken ct)
    {
        try
        {
            var matches = await SubnetStore.FindAsync(c, tx, SubnetSpecifier.Parse(specifier), ct);
            return matches.Count == 1 ? matches[0] : null;
        }
        catch (BadRequestException)
        {
            return null;
        }
    }

    private static NotFoundException VlanNotFound() => new("No VLAN matches the given query.");
}
