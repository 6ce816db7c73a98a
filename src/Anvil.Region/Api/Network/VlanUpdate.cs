using System.Globalization;
using Anvil.Data.Network;
using Anvil.Region.Api.Framework;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// Reads and checks a VLAN update the way MAAS's VLAN form does: absent fields keep their value,
/// empty rack/relay fields clear them, a cleared primary rack is replaced by the secondary, and
/// DHCP needs both a primary rack and a dynamic range.
/// </summary>
internal static class VlanUpdate
{
    private const string All = "__all__";

    public static async Task<VlanChanges> ReadAsync(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, VlanRecord current)
    {
        var ct = request.Aborted;
        var errors = new FieldErrors();
        var vid = request.Has("vid") ? VlansApi.CheckVid(errors, request.Int("vid")) : current.Vid;
        var name = VlansApi.Name(errors, request, current);
        var mtu = request.Int("mtu") is { } m ? VlansApi.CheckMtu(errors, m) : current.Mtu;
        var spaceId = await VlansApi.SpaceAsync(errors, request, c, tx, current);
        var primary = await RackAsync(errors, request, c, tx, "primary_rack", current.PrimaryRackId);
        var secondary = await RackAsync(errors, request, c, tx, "secondary_rack", current.SecondaryRackId);
        var relay = await RelayAsync(errors, request, c, tx, current);
        var dhcpOn = request.Bool("dhcp_on") ?? current.DhcpOn;
        if (request.Bool("dhcp_on") == true && !await VlanStore.HasDynamicRangeAsync(c, tx, current.Id, ct))
            errors.Add("dhcp_on", "dhcp can only be turned on when a dynamic IP range is defined.");

        if (primary is null && current.SecondaryRackId is not null && !request.Has("secondary_rack"))
        {
            primary = current.SecondaryRackId;
            secondary = null;
        }

        if (primary is not null && primary == current.SecondaryRackId)
            secondary = null;
        if (secondary is not null && secondary == current.PrimaryRackId && request.Has("secondary_rack"))
            errors.Add(All, $"{request.String("secondary_rack")} is already set as the primary rack controller");
        else if (primary is not null && primary == secondary)
            errors.Add(All, "The primary and secondary rack must be different");
        if (dhcpOn && primary is null)
            errors.Add(All, "dhcp can only be turned on when a primary rack controller is set.");
        errors.ThrowIfAny();
        return new VlanChanges(
            vid,
            name,
            request.String("description") ?? current.Description,
            mtu,
            dhcpOn,
            spaceId,
            primary,
            secondary,
            dhcpOn ? null : relay);
    }

    private static async Task<long?> RackAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, string field, long? current)
    {
        if (!request.Has(field))
            return current;
        var systemId = request.String(field);
        if (string.IsNullOrEmpty(systemId))
            return null;
        var id = await VlanStore.FindRackControllerAsync(c, tx, systemId, request.Aborted);
        if (id is null)
            errors.Add(field, NetworkLookups.InvalidChoice);
        return id;
    }

    /// <summary>A relay VLAN must exist, differ from this one and not relay itself; a VLAN serving DHCP keeps its relay as is.</summary>
    private static async Task<long?> RelayAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, VlanRecord current)
    {
        if (!request.Has("relay_vlan"))
            return current.RelayVlanId;
        var text = request.String("relay_vlan");
        if (string.IsNullOrEmpty(text))
            return null;
        var target = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await VlanStore.FindAsync(c, tx, id, request.Aborted) : null;
        var allowed = target is not null
            && (current.DhcpOn ? target.Id == current.RelayVlanId : target.Id != current.Id && target.RelayVlanId is null);
        if (!allowed)
            errors.Add("relay_vlan", NetworkLookups.InvalidChoice);
        return target?.Id;
    }
}
