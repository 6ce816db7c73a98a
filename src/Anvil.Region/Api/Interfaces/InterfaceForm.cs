using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Anvil.Data.Network;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network;
using Npgsql;

namespace Anvil.Region.Api.Interfaces;

/// <summary>Reads and checks the fields of the interface forms, adding MAAS-style field errors.</summary>
internal static partial class InterfaceForm
{
    public static readonly string[] BondModes = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];
    public static readonly string[] LacpRates = ["fast", "slow"];
    public static readonly string[] XmitHashPolicies = ["layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"];
    public static readonly string[] BridgeTypes = ["standard", "ovs"];

    [GeneratedRegex("^[0-9a-fA-F]{2}([:-]?)[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}$")]
    private static partial Regex MacPattern();

    public static string? Mac(FieldErrors errors, string? value)
    {
        if (value is not { Length: > 0 })
            return null;
        if (!MacPattern().IsMatch(value))
        {
            errors.Add("mac_address", $"'{value}' is not a valid MAC address.");
            return null;
        }

        var hex = value.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }

    /// <summary>MAAS takes tags as one comma-separated string (or repeated fields).</summary>
    public static string[] Tags(ApiRequest r) =>
        [.. r.Strings("tags").SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    public static int? Mtu(FieldErrors errors, ApiRequest r)
    {
        var mtu = r.Int("mtu");
        if (mtu is < 552)
            errors.Add("mtu", "Ensure this value is greater than or equal to 552.");
        else if (mtu is > 65535)
            errors.Add("mtu", "Ensure this value is less than or equal to 65535.");
        return mtu;
    }

    public static async Task<VlanRecord?> VlanAsync(FieldErrors errors, ApiRequest r, NpgsqlConnection c, NpgsqlTransaction tx)
    {
        if (r.String("vlan") is not { Length: > 0 } text)
            return null;
        var vlan = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await VlanStore.FindAsync(c, tx, id, r.Aborted) : null;
        if (vlan is null)
            errors.Add("vlan", NetworkLookups.InvalidChoice);
        return vlan;
    }

    /// <summary>Parent interface ids from <c>parents</c> (repeatable) or <c>parent</c>; both at once is an error.</summary>
    public static IReadOnlyList<long> ParentIds(FieldErrors errors, ApiRequest r)
    {
        var parents = r.Strings("parents").Where(p => p.Length > 0).ToList();
        var parent = r.Strings("parent").Where(p => p.Length > 0).ToList();
        if (parents.Count > 0 && parent.Count > 0)
        {
            errors.Add("parents", "Use either parent or parents, not both.");
            return [];
        }

        var ids = new List<long>();
        foreach (var text in parents.Count > 0 ? parents : parent)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                ids.Add(id);
            else
                errors.Add("parents", $"Select a valid choice. {text} is not one of the available choices.");
        }

        return ids;
    }

    /// <summary>A choice field: null when absent, the error added when not one of <paramref name="choices"/>.</summary>
    public static string? Choice(FieldErrors errors, ApiRequest r, string field, string[] choices)
    {
        if (r.String(field) is not { Length: > 0 } value)
            return null;
        if (choices.Contains(value, StringComparer.Ordinal))
            return value;
        errors.Add(field, $"Select a valid choice. {value} is not one of the available choices.");
        return null;
    }

    /// <summary>The bond parameters given, checked, over <paramref name="current"/> (MAAS's defaults for a new bond).</summary>
    public static JsonObject BondParams(FieldErrors errors, ApiRequest r, JsonObject? current)
    {
        var p = current ?? new JsonObject
        {
            ["bond_mode"] = "balance-rr",
            ["bond_miimon"] = 100,
            ["bond_downdelay"] = 0,
            ["bond_updelay"] = 0,
            ["bond_lacp_rate"] = "slow",
            ["bond_xmit_hash_policy"] = "layer2",
            ["bond_num_grat_arp"] = 1,
        };
        if (Choice(errors, r, "bond_mode", BondModes) is { } mode)
            p["bond_mode"] = mode;
        if (Choice(errors, r, "bond_lacp_rate", LacpRates) is { } rate)
            p["bond_lacp_rate"] = rate;
        if (Choice(errors, r, "bond_xmit_hash_policy", XmitHashPolicies) is { } policy)
            p["bond_xmit_hash_policy"] = policy;
        foreach (var field in (ReadOnlySpan<string>)["bond_miimon", "bond_downdelay", "bond_updelay", "bond_num_grat_arp"])
        {
            if (errors.NonNegative(field, r.Int(field)) is { } value)
                p[field] = value;
        }

        return p;
    }

    public static JsonObject BridgeParams(FieldErrors errors, ApiRequest r, JsonObject? current)
    {
        var p = current ?? new JsonObject { ["bridge_type"] = "standard", ["bridge_stp"] = false, ["bridge_fd"] = 15 };
        if (Choice(errors, r, "bridge_type", BridgeTypes) is { } type)
            p["bridge_type"] = type;
        if (r.Bool("bridge_stp") is { } stp)
            p["bridge_stp"] = stp;
        if (errors.NonNegative("bridge_fd", r.Int("bridge_fd")) is { } fd)
            p["bridge_fd"] = fd;
        return p;
    }
}
