using System.Globalization;
using System.Text.Json.Nodes;
using Anvil.Data.Interfaces;
using Anvil.Region.Api.Framework;
using Dapper;

namespace Anvil.Region.Api.Interfaces;

/// <summary>The <c>create_*</c> operations of <c>nodes/{system_id}/interfaces/</c>.</summary>
internal static partial class InterfacesApi
{
    private static Task<ApiResult> CreatePhysicalAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "create_physical", async x =>
    {
        var errors = new FieldErrors();
        var mac = InterfaceForm.Mac(errors, r.String("mac_address"));
        var vlan = await InterfaceForm.VlanAsync(errors, r, x.C, x.Tx);
        var mtu = InterfaceForm.Mtu(errors, r);
        var name = r.String("name") is { Length: > 0 } given ? given : NextName(x, "eth");
        CheckName(errors, x, name, null);
        if (mac is not null && await InterfaceStore.MacInUseAsync(x.C, x.Tx, mac, null, x.Ct))
            errors.Add("mac_address", $"This MAC address is already in use by another interface ({mac}).");
        errors.ThrowIfAny();
        var nic = new InterfaceRecord
        {
            NodeId = x.Node.Id,
            Name = name,
            Type = "physical",
            MacAddress = mac,
            Tags = InterfaceForm.Tags(r),
            VlanId = vlan?.Id,
            Mtu = mtu,
            AcceptRa = r.Bool("accept_ra"),
        };
        await InterfaceStore.InsertAsync(x.C, x.Tx, nic, [], x.Ct);
        return (nic.Id, $"Created physical interface '{name}'.");
    });

    private static Task<ApiResult> CreateBondAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "create_bond", async x =>
    {
        var errors = new FieldErrors();
        var name = r.RequiredString("name");
        CheckName(errors, x, name, null);
        var parents = Parents(errors, x, InterfaceForm.ParentIds(errors, r), "bond", self: null);
        if (parents.Count == 0 && !errors.Any)
            errors.Add("parents", "A bond needs at least one parent interface.");
        var mac = InterfaceForm.Mac(errors, r.String("mac_address"));
        var vlan = await InterfaceForm.VlanAsync(errors, r, x.C, x.Tx);
        var mtu = InterfaceForm.Mtu(errors, r);
        var bond = InterfaceForm.BondParams(errors, r, null);
        errors.ThrowIfAny();
        var nic = new InterfaceRecord
        {
            NodeId = x.Node.Id,
            Name = name,
            Type = "bond",
            MacAddress = mac ?? parents[0].MacAddress,
            Tags = InterfaceForm.Tags(r),
            VlanId = vlan?.Id ?? parents[0].VlanId,
            Mtu = mtu,
            AcceptRa = r.Bool("accept_ra"),
            Params = bond.ToJsonString(),
        };
        await InterfaceStore.InsertAsync(x.C, x.Tx, nic, [.. parents.Select(p => p.Id)], x.Ct);
        await AbsorbParentsAsync(x, parents, nic, moveLinks: false);
        return (nic.Id, $"Created bond interface '{name}'.");
    });

    private static Task<ApiResult> CreateBridgeAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "create_bridge", async x =>
    {
        var errors = new FieldErrors();
        var parents = Parents(errors, x, InterfaceForm.ParentIds(errors, r), "bridge", self: null);
        if (parents.Count != 1 && !errors.Any)
            errors.Add("parent", "A bridge needs exactly one parent interface.");
        var name = r.String("name") is { Length: > 0 } given ? given : parents.Count == 1 ? $"br-{parents[0].Name}" : "";
        if (name.Length > 0)
            CheckName(errors, x, name, null);
        var mac = InterfaceForm.Mac(errors, r.String("mac_address"));
        var vlan = await InterfaceForm.VlanAsync(errors, r, x.C, x.Tx);
        var mtu = InterfaceForm.Mtu(errors, r);
        var bridge = InterfaceForm.BridgeParams(errors, r, null);
        errors.ThrowIfAny();
        var nic = new InterfaceRecord
        {
            NodeId = x.Node.Id,
            Name = name,
            Type = "bridge",
            MacAddress = mac ?? parents[0].MacAddress,
            Tags = InterfaceForm.Tags(r),
            VlanId = vlan?.Id ?? parents[0].VlanId,
            Mtu = mtu,
            AcceptRa = r.Bool("accept_ra"),
            Params = bridge.ToJsonString(),
        };
        await InterfaceStore.InsertAsync(x.C, x.Tx, nic, [parents[0].Id], x.Ct);
        await AbsorbParentsAsync(x, parents, nic, moveLinks: true);
        return (nic.Id, $"Created bridge interface '{name}'.");
    });

    private static Task<ApiResult> CreateVlanAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "create_vlan", async x =>
    {
        var errors = new FieldErrors();
        var vlan = await InterfaceForm.VlanAsync(errors, r, x.C, x.Tx);
        var parentIds = InterfaceForm.ParentIds(errors, r);
        var parents = Parents(errors, x, parentIds, "vlan", self: null);
        if (parentIds.Count != 1 && !errors.Any)
            errors.Add("parent", "A VLAN interface needs exactly one parent interface.");
        var mtu = InterfaceForm.Mtu(errors, r);
        errors.ThrowIfAny();
        var parent = parents[0];
        var parentVlan = parent.VlanId is { } pv ? await Data.Network.VlanStore.FindAsync(x.C, x.Tx, pv, x.Ct) : null;
        if (vlan!.Vid == 0)
            errors.Add("vlan", "A VLAN interface can only belong to a tagged VLAN.");
        else if (parentVlan is null)
            errors.Add("parent", "The parent interface is not connected to a VLAN.");
        else if (parentVlan.FabricId != vlan.FabricId)
            errors.Add("vlan", "A VLAN interface can only belong to a VLAN on the fabric of its parent.");
        else if (x.ChildrenOf(parent.Id).Select(id => x.Interfaces.First(i => i.Id == id)).Any(ch => ch.Type == "vlan" && ch.VlanId == vlan.Id))
            errors.Add("vlan", $"A VLAN interface with VLAN {vlan.Vid} already exists on '{parent.Name}'.");
        var name = $"{parent.Name}.{vlan.Vid}";
        CheckName(errors, x, name, null);
        errors.ThrowIfAny();
        var nic = new InterfaceRecord
        {
            NodeId = x.Node.Id,
            Name = name,
            Type = "vlan",
            Tags = InterfaceForm.Tags(r),
            VlanId = vlan.Id,
            Mtu = mtu,
            AcceptRa = r.Bool("accept_ra"),
        };
        await InterfaceStore.InsertAsync(x.C, x.Tx, nic, [parent.Id], x.Ct);
        return (nic.Id, $"Created VLAN interface '{name}'.");
    });

    /// <summary>The next free <c>{prefix}N</c> name on the node.</summary>
    private static string NextName(Change x, string prefix)
    {
        for (var n = 0; ; n++)
        {
            var name = prefix + n.ToString(CultureInfo.InvariantCulture);
            if (x.Interfaces.All(i => i.Name != name))
                return name;
        }
    }

    private static void CheckName(FieldErrors errors, Change x, string name, long? self)
    {
        if (name.Length == 0)
            errors.Add("name", "This field is required.");
        else if (x.Interfaces.Any(i => i.Name == name && i.Id != self))
            errors.Add("name", $"Interface name '{name}' is already in use on this node.");
    }

    /// <summary>
    /// The node's interfaces given as parents of a new (or updated) <paramref name="kind"/>; a bond
    /// or bridge takes interfaces no other bond or bridge holds.
    /// </summary>
    private static List<InterfaceRecord> Parents(FieldErrors errors, Change x, IReadOnlyList<long> ids, string kind, long? self)
    {
        var parents = new List<InterfaceRecord>();
        foreach (var id in ids.Distinct())
        {
            var parent = x.Interfaces.FirstOrDefault(i => i.Id == id && i.Id != self);
            if (parent is null)
            {
                errors.Add("parents", $"Select a valid choice. {id} is not one of the available choices.");
                continue;
            }

            var taken = x.ChildrenOf(id).Where(ch => ch != self).Select(ch => x.Interfaces.First(i => i.Id == ch)).FirstOrDefault(ch => ch.Type is "bond" or "bridge");
            if (kind is "bond" or "bridge" && taken is not null)
                errors.Add("parents", $"Interface '{parent.Name}' is already in use by '{taken.Name}'.");
            else if (kind == "bond" && parent.Type != "physical")
                errors.Add("parents", $"Only physical interfaces can be bonded; '{parent.Name}' is a {parent.Type} interface.");
            else
                parents.Add(parent);
        }

        return parents;
    }

    /// <summary>
    /// The parents of a new bond or bridge stop being configured themselves: their links move to it
    /// (bridge) or go (bond), and they follow its VLAN.
    /// </summary>
    private static async Task AbsorbParentsAsync(Change x, IReadOnlyList<InterfaceRecord> parents, InterfaceRecord child, bool moveLinks)
    {
        var parentIds = parents.Select(p => p.Id).ToArray();
        if (moveLinks)
        {
            await x.C.ExecuteAsync(new CommandDefinition(
                "UPDATE interface_ip SET interface_id = @childId WHERE interface_id = ANY(@parentIds)",
                new { childId = child.Id, parentIds },
                x.Tx,
                cancellationToken: x.Ct));
        }
        else
        {
            var links = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct)).Where(l => parentIds.Contains(l.InterfaceId)).Select(l => l.Id).ToList();
            await InterfaceStore.RemoveLinksAsync(x.C, x.Tx, links, x.Ct);
        }

        foreach (var parent in parents)
        {
            parent.VlanId = child.VlanId;
            parent.DefaultGatewayV4IpId = null;
            parent.DefaultGatewayV6IpId = null;
            await InterfaceStore.SaveAsync(x.C, x.Tx, parent, x.Ct);
        }
    }

    private static JsonObject ParamsOf(InterfaceRecord nic) => JsonNode.Parse(nic.Params) as JsonObject ?? [];
}
