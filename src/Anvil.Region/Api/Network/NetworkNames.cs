using System.Text.RegularExpressions;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Network;

/// <summary>The name rules of MAAS's network models, reported as field errors on <c>name</c>.</summary>
internal static partial class NetworkNames
{
    private const string InvalidValue = "Enter a valid value.";

    /// <summary>Letters, digits, '_' and '-'; <c>fabric-N</c> is reserved for fabric N's default name.</summary>
    public static void CheckFabric(FieldErrors errors, string name, long? id)
    {
        if (!FabricName().IsMatch(name))
            errors.Add("name", $"Invalid fabric name: {name}.");
        else if (ReservedFabricName().IsMatch(name) && name != $"fabric-{id}")
            errors.Add("name", "Reserved fabric name.");
    }

    public static void CheckVlan(FieldErrors errors, string name)
    {
        if (name.Length > 256 || !VlanName().IsMatch(name))
            errors.Add("name", InvalidValue);
    }

    /// <summary>MAAS's model-name rule; <c>undefined</c> names the absence of a space and <c>space-N</c> is reserved.</summary>
    public static void CheckSpace(FieldErrors errors, string name, long? id)
    {
        if (name.Length > 256 || !SpaceName().IsMatch(name))
            errors.Add("name", InvalidValue);
        else if (name == NetworkRenderer.UndefinedSpace || (ReservedSpaceName().IsMatch(name) && name != $"space-{id}"))
            errors.Add("name", "Reserved space name.");
    }

    /// <summary>Subnet names may hold a CIDR, so dots, colons, slashes and spaces are allowed.</summary>
    public static void CheckSubnet(FieldErrors errors, string name)
    {
        if (name.Length > 255 || !SubnetName().IsMatch(name))
            errors.Add("name", InvalidValue);
    }

    [GeneratedRegex(@"^[\w-]+$")]
    private static partial Regex FabricName();

    [GeneratedRegex(@"^fabric-\d+$")]
    private static partial Regex ReservedFabricName();

    [GeneratedRegex(@"^[ \w-]+$")]
    private static partial Regex VlanName();

    [GeneratedRegex(@"^\w[ \w-]*$")]
    private static partial Regex SpaceName();

    [GeneratedRegex(@"^space-\d+$")]
    private static partial Regex ReservedSpaceName();

    [GeneratedRegex(@"^[.: \w/-]+$")]
    private static partial Regex SubnetName();
}
