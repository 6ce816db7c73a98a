using System.Globalization;
using Anvil.Data.Network;
using Anvil.Domain.Ipam;
using Anvil.Domain.Network;
using Anvil.Region.Api.Framework;
using Npgsql;

namespace Anvil.Region.Api.Network;

/// <summary>
/// Reads a subnet create or update the way MAAS's subnet form does. CIDRs are normalised to their
/// network (<c>10.0.0.5/24</c> is stored as <c>10.0.0.0/24</c>); a new subnet's name defaults to
/// its CIDR; on create the VLAN may be given by id, or by fabric and/or vid (default: the default
/// VLAN of fabric 0); on update only <c>vlan</c> moves it.
/// </summary>
internal static class SubnetForm
{
    public static async Task<SubnetValues> ReadAsync(ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, SubnetRecord? current)
    {
        var errors = new FieldErrors();
        if (request.Has("space"))
            errors.Add("space", "Spaces may no longer be set on subnets. Set the space on the underlying VLAN.");

        var cidr = ReadCidr(errors, request, current);
        var name = ReadName(request, current, cidr);
        if (name is not null)
            NetworkNames.CheckSubnet(errors, name);
        var vlanId = current is null ? await NewVlanAsync(errors, request, c, tx) : await MovedVlanAsync(errors, request, c, tx, current);
        var gateway = ReadGateway(errors, request, current, cidr);
        var dnsServers = ReadDnsServers(errors, request, current);
        var rdnsMode = request.Int("rdns_mode") ?? current?.RdnsMode ?? 2;
        if (rdnsMode is < 0 or > 2)
            errors.Add("rdns_mode", $"Select a valid choice. {rdnsMode} is not one of the available choices.");
        var bootArchitectures = ReadBootArchitectures(errors, request, current);
        errors.ThrowIfAny();
        return new SubnetValues(
            name!,
            request.String("description") ?? current?.Description ?? "",
            vlanId!.Value,
            cidr!.Value,
            gateway,
            dnsServers,
            rdnsMode,
            request.Bool("allow_dns") ?? current?.AllowDns ?? true,
            request.Bool("allow_proxy") ?? current?.AllowProxy ?? true,
            request.Bool("active_discovery") ?? current?.ActiveDiscovery ?? false,
            request.Bool("managed") ?? current?.Managed ?? true,
            bootArchitectures);
    }

    private static IpNetwork? ReadCidr(FieldErrors errors, ApiRequest request, SubnetRecord? current)
    {
        var text = request.String("cidr");
        if (string.IsNullOrEmpty(text))
        {
            if (current is not null && IpNetwork.TryParse(current.Cidr, out var existing))
                return existing;
            errors.Add("cidr", "This field is required.");
            return null;
        }

        if (!IpNetwork.TryParse(text, out var cidr))
        {
            errors.Add("cidr", "Required format: <network>/<prefixlen>.");
            return null;
        }

        if (cidr.PrefixLength == 0)
        {
            errors.Add("cidr", "Prefix length must be greater than 0.");
            return null;
        }

        return cidr;
    }

    /// <summary>The given name; else a new subnet's CIDR; else the current name, following a CIDR change when it was the CIDR.</summary>
    private static string? ReadName(ApiRequest request, SubnetRecord? current, IpNetwork? cidr)
    {
        if (request.String("name") is { Length: > 0 } given)
            return given;
        if (current is null || current.Name == current.Cidr)
            return cidr?.ToString() ?? current?.Name;
        return current.Name;
    }

    private static async Task<long?> NewVlanAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx)
    {
        var ct = request.Aborted;
        FabricRecord? fabric = null;
        if (request.String("fabric") is { Length: > 0 } fabricKey)
        {
            fabric = await FabricStore.FindAsync(c, tx, fabricKey, ct);
            if (fabric is null)
            {
                errors.Add("fabric", NetworkLookups.InvalidChoice);
                return null;
            }
        }

        VlanRecord? vlan = null;
        if (request.String("vlan") is { Length: > 0 } vlanKey)
        {
            vlan = long.TryParse(vlanKey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await VlanStore.FindAsync(c, tx, id, ct) : null;
            if (vlan is null)
            {
                errors.Add("vlan", NetworkLookups.InvalidChoice);
                return null;
            }
        }

        var vid = request.Int("vid");
        if (vid is < 0 or > 4094)
        {
            errors.Add("vid", vid < 0 ? "Ensure this value is greater than or equal to 0." : "Ensure this value is less than or equal to 4094.");
            return null;
        }

        if (vlan is not null)
        {
            if (fabric is not null && vlan.FabricId != fabric.Id)
                errors.Add("vlan", $"VLAN {vlan.FabricName}.{NetworkRenderer.NameOf(vlan)} is not in fabric {fabric.Name}.");
            return vlan.Id;
        }

        var fabricId = fabric?.Id ?? FabricStore.DefaultFabricId;
        if (vid is null or 0)
            return await VlanStore.DefaultVlanIdAsync(c, tx, fabricId, ct);
        var byVid = await VlanStore.FindAsync(c, tx, fabricId, vid.Value, ct);
        if (byVid is null)
            errors.Add("vid", fabric is null ? $"No VLAN with vid {vid} in default fabric." : $"No VLAN with vid {vid} in fabric {fabric.Name}.");
        return byVid?.Id;
    }

    private static async Task<long?> MovedVlanAsync(FieldErrors errors, ApiRequest request, NpgsqlConnection c, NpgsqlTransaction tx, SubnetRecord current)
    {
        if (request.String("vlan") is not { Length: > 0 } vlanKey)
            return current.VlanId;
        var vlan = long.TryParse(vlanKey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await VlanStore.FindAsync(c, tx, id, request.Aborted) : null;
        if (vlan is null)
            errors.Add("vlan", NetworkLookups.InvalidChoice);
        return vlan?.Id ?? current.VlanId;
    }

    /// <summary>The gateway must be inside the subnet; an IPv6 subnet may also use a link-local gateway.</summary>
    private static string? ReadGateway(FieldErrors errors, ApiRequest request, SubnetRecord? current, IpNetwork? cidr)
    {
        string? text = request.Has("gateway_ip") ? request.String("gateway_ip") : current?.GatewayIp;
        if (string.IsNullOrEmpty(text))
            return null;
        if (!IpAddress.TryParseDroppingZone(text, out var gateway))
        {
            errors.Add("gateway_ip", "Enter a valid IPv4 or IPv6 address.");
            return null;
        }

        if (cidr is { } network && !network.Contains(gateway) && !(network.Family == IpFamily.V6 && gateway.IsLinkLocal))
            errors.Add("gateway_ip", "Gateway IP must be within CIDR range.");
        return gateway.ToString();
    }

    private static string[] ReadDnsServers(FieldErrors errors, ApiRequest request, SubnetRecord? current)
    {
        if (!request.Has("dns_servers"))
            return current?.DnsServers ?? [];
        var (addresses, invalid) = IpAddressList.Parse(request.Strings("dns_servers"));
        if (invalid is not null)
            errors.Add("dns_servers", $"Invalid IP address: {invalid}.");
        return [.. addresses.Select(a => a.ToString()).Distinct()];
    }

    private static string[] ReadBootArchitectures(FieldErrors errors, ApiRequest request, SubnetRecord? current)
    {
        if (!request.Has("disabled_boot_architectures"))
            return current?.DisabledBootArchitectures ?? [];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in request.Strings("disabled_boot_architectures").SelectMany(v => v.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)))
        {
            if (BootArchitectures.Resolve(value) is { } name)
                names.Add(name);
            else
                errors.Add("disabled_boot_architectures", $"Unknown boot architecture {value}");
        }

        return [.. names];
    }
}
