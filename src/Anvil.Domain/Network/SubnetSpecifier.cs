using System.Globalization;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;

namespace Anvil.Domain.Network;

/// <summary>What a subnet specifier selects by.</summary>
public enum SubnetSpecifierKind
{
    Id,
    Cidr,
    Name,
    Vid,
    VlanName,
    FabricId,
    FabricName,
    SpaceId,
    SpaceName,
    UndefinedSpace,
    ContainsIp,
}

/// <summary>
/// A subnet as a URL or a parameter names it: a bare id, CIDR or name (tried in that order), or
/// a typed specifier <c>id:</c>, <c>cidr:</c>, <c>name:</c>, <c>vid:</c>, <c>vlan:</c>,
/// <c>fabric:</c>, <c>space:</c>, <c>ip:</c>. A prefix that is not a known type is part of the
/// value (IPv6 CIDRs contain colons).
/// </summary>
public sealed record SubnetSpecifier(SubnetSpecifierKind Kind, string Text, long Number = 0, IpNetwork? Network = null, IpAddress? Address = null)
{
    private static readonly string[] Types = ["id", "cidr", "name", "vid", "vlan", "fabric", "space", "ip"];

    public static SubnetSpecifier Parse(string specifier)
    {
        var colon = specifier.IndexOf(':', StringComparison.Ordinal);
        var type = colon > 0 ? specifier[..colon] : null;
        if (type is null || !Types.Contains(type, StringComparer.Ordinal))
            return Default(specifier);
        var value = specifier[(colon + 1)..];
        return type switch
        {
            "id" => TryInteger(value, out var id) ? new(SubnetSpecifierKind.Id, value, id) : throw new BadRequestException("Subnet ID must be numeric."),
            "cidr" => IpNetwork.TryParse(value, out var cidr) ? new(SubnetSpecifierKind.Cidr, value, Network: cidr) : throw new BadRequestException($"Invalid CIDR: '{value}'."),
            "name" => new(SubnetSpecifierKind.Name, value),
            "vid" => new(SubnetSpecifierKind.Vid, value, ParseVid(value)),
            "vlan" => value == "untagged" || TryInteger(value, out _) ? new(SubnetSpecifierKind.Vid, value, ParseVid(value)) : new(SubnetSpecifierKind.VlanName, value),
            "fabric" => TryInteger(value, out var fabric) ? new(SubnetSpecifierKind.FabricId, value, fabric) : new(SubnetSpecifierKind.FabricName, value),
            "space" when value == "undefined" => new(SubnetSpecifierKind.UndefinedSpace, value),
            "space" => TryInteger(value, out var space) ? new(SubnetSpecifierKind.SpaceId, value, space) : new(SubnetSpecifierKind.SpaceName, value),
            _ => IpAddress.TryParseDroppingZone(value, out var ip) ? new(SubnetSpecifierKind.ContainsIp, value, Address: ip) : throw new BadRequestException($"Invalid IP address: '{value}'."),
        };
    }

    private static SubnetSpecifier Default(string value)
    {
        if (TryInteger(value, out var id))
            return new(SubnetSpecifierKind.Id, value, id);
        if (IpNetwork.TryParse(value, out var network))
            return new(SubnetSpecifierKind.Cidr, value, Network: network);
        return new(SubnetSpecifierKind.Name, value);
    }

    private static long ParseVid(string value)
    {
        if (value.Equals("untagged", StringComparison.OrdinalIgnoreCase))
            return 0;
        if (!TryInteger(value, out var vid) || vid is < 0 or > 4094)
            throw new BadRequestException("VLAN tag (VID) out of range (0-4094; 0 for untagged.)");
        return vid;
    }

    /// <summary>Python's <c>int()</c> plus the <c>0x</c>/<c>0b</c> forms of MAAS's <c>parse_integer</c>.</summary>
    private static bool TryInteger(string text, out long value)
    {
        value = 0;
        var t = text.Trim();
        if (t.Length > 2 && t[0] == '0' && t[1] is 'x' or 'X')
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (t.Length > 2 && t[0] == '0' && t[1] is 'b' or 'B')
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out value);
        return t.Length > 0 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
