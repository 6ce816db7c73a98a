using Anvil.Data.Interfaces;
using Anvil.Data.Ipam;
using Anvil.Data.Network;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Network;

namespace Anvil.Region.Api.Interfaces;

/// <summary>The operations of <c>nodes/{system_id}/interfaces/{id}/</c>.</summary>
internal static partial class InterfacesApi
{
    private static readonly string[] LinkModes = ["AUTO", "DHCP", "STATIC", "LINK_UP"];

    private static Task<ApiResult> UpdateAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Update, "update_interface", async x =>
    {
        var nic = x.Target;
        var errors = new FieldErrors();
        if (r.String("name") is { Length: > 0 } name && nic.Type != "vlan")
        {
            CheckName(errors, x, name, nic.Id);
            nic.Name = name;
        }

        if (nic.Type != "vlan" && InterfaceForm.Mac(errors, r.String("mac_address")) is { } mac)
        {
            if (nic.Type == "physical" && await InterfaceStore.MacInUseAsync(x.C, x.Tx, mac, nic.Id, x.Ct))
                errors.Add("mac_address", $"This MAC address is already in use by another interface ({mac}).");
            nic.MacAddress = mac;
        }

        if (r.Bool("link_connected") is { } connected)
            nic.LinkConnected = connected;
        if (errors.NonNegative("interface_speed", r.Int("interface_speed")) is { } interfaceSpeed)
            nic.InterfaceSpeed = interfaceSpeed;
        if (errors.NonNegative("link_speed", r.Int("link_speed")) is { } linkSpeed)
            nic.LinkSpeed = linkSpeed;

        // A deployed machine's network is what it booted with: only identity and link facts change.
        List<InterfaceRecord>? parents = null;
        long? oldVlan = nic.VlanId;
        if (!x.Deployed)
        {
            if (r.Has("tags"))
                nic.Tags = InterfaceForm.Tags(r);
            if (await InterfaceForm.VlanAsync(errors, r, x.C, x.Tx) is { } vlan)
                nic.VlanId = vlan.Id;
            else if (r.Has("vlan") && r.String("vlan") is "")
                nic.VlanId = null;
            if (InterfaceForm.Mtu(errors, r) is { } mtu)
                nic.Mtu = mtu;
            if (r.Bool("accept_ra") is { } acceptRa)
                nic.AcceptRa = acceptRa;
            if (nic.Type == "bond")
                nic.Params = InterfaceForm.BondParams(errors, r, ParamsOf(nic)).ToJsonString();
            if (nic.Type == "bridge")
                nic.Params = InterfaceForm.BridgeParams(errors, r, ParamsOf(nic)).ToJsonString();
            if (nic.Type != "physical" && (r.Has("parents") || r.Has("parent")))
            {
                parents = Parents(errors, x, InterfaceForm.ParentIds(errors, r), nic.Type, nic.Id);
                if (parents.Count == 0 || (nic.Type != "bond" && parents.Count != 1))
                    errors.Add("parents", nic.Type == "bond" ? "A bond needs at least one parent interface." : "Exactly one parent interface is needed.");
            }
        }

        errors.ThrowIfAny();
        if (nic.VlanId != oldVlan)
        {
            // Links to subnets of the old VLAN cannot stay.
            var subnets = await SubnetStore.ListAsync(x.C, x.Tx, x.Ct);
            var stale = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct))
                .Where(l => l.InterfaceId == nic.Id && l.SubnetId is { } s && subnets.FirstOrDefault(sub => sub.Id == s)?.VlanId != nic.VlanId)
                .Select(l => l.Id)
                .ToList();
            await InterfaceStore.RemoveLinksAsync(x.C, x.Tx, stale, x.Ct);
            nic.DefaultGatewayV4IpId = stale.Contains(nic.DefaultGatewayV4IpId ?? -1) ? null : nic.DefaultGatewayV4IpId;
            nic.DefaultGatewayV6IpId = stale.Contains(nic.DefaultGatewayV6IpId ?? -1) ? null : nic.DefaultGatewayV6IpId;
        }

        await InterfaceStore.SaveAsync(x.C, x.Tx, nic, x.Ct);
        if (parents is not null)
            await InterfaceStore.SetParentsAsync(x.C, x.Tx, nic.Id, [.. parents.Select(p => p.Id)], x.Ct);
        return (nic.Id, $"Updated interface '{nic.Name}'.");
    });

    private static Task<ApiResult> DeleteAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "delete_interface", async x =>
    {
        var nic = x.Target;

        // VLAN interfaces (and anything else) left without any parent go with it.
        var doomed = new HashSet<long> { nic.Id };
        bool grew;
        do
        {
            grew = false;
            foreach (var candidate in x.Interfaces.Where(i => !doomed.Contains(i.Id)))
            {
                var parents = x.ParentsOf(candidate.Id).ToList();
                if (parents.Count > 0 && parents.All(doomed.Contains))
                    grew |= doomed.Add(candidate.Id);
            }
        }
        while (grew);
        await InterfaceStore.DeleteAsync(x.C, x.Tx, doomed, x.Ct);
        return (null, $"Deleted interface '{nic.Name}'.");
    });

    private static Task<ApiResult> LinkSubnetAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "link_subnet", async x =>
    {
        var nic = x.Target;
        var errors = new FieldErrors();
        var modeText = r.RequiredString("mode").ToUpperInvariant();
        if (!LinkModes.Contains(modeText, StringComparer.Ordinal))
        {
            errors.Add("mode", $"Select a valid choice. {r.String("mode")} is not one of the available choices.");
            errors.ThrowIfAny();
        }

        var force = r.Bool("force", false);
        var defaultGateway = r.Bool("default_gateway", false);
        SubnetRecord? subnet = null;
        if (r.String("subnet") is { Length: > 0 } specifier)
        {
            subnet = await NetworkLookups.SubnetFieldAsync(x.C, x.Tx, specifier, x.Ct);
            if (subnet is null)
                errors.Add("subnet", NetworkLookups.InvalidChoice);
        }
        else if (modeText is "AUTO" or "STATIC")
        {
            errors.Add("subnet", "This field is required.");
        }

        var links = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct)).Where(l => l.InterfaceId == nic.Id).ToList();
        if (modeText == "LINK_UP" && links.Count > 0 && !force)
            errors.Add("mode", "Cannot configure interface to link up (with no IP address) while other links are already configured. Specify force=True to override this behavior and delete all links.");
        if (subnet is not null && nic.VlanId is { } vlanId && subnet.VlanId != vlanId && !force)
            errors.Add("subnet", $"The subnet '{subnet.Name}' is not on the interface's VLAN; specify force=True to move the interface to it.");
        if (defaultGateway && modeText is not ("AUTO" or "STATIC"))
            errors.Add("default_gateway", "Only AUTO and STATIC links can be the default gateway.");
        else if (defaultGateway && subnet is { GatewayIp: null })
            errors.Add("default_gateway", $"Cannot set as default gateway because subnet {subnet.Cidr} doesn't provide a gateway IP address.");

        IpAddress? requested = null;
        if (modeText == "STATIC" && r.String("ip_address") is { Length: > 0 } ipText)
        {
            if (!IpAddress.TryParse(ipText, out var ip))
                errors.Add("ip_address", "Enter a valid IPv4 or IPv6 address.");
            else if (subnet is not null && !IpNetwork.Parse(subnet.Cidr).Contains(ip))
                errors.Add("ip_address", $"IP address is not in the given subnet '{subnet.Cidr}'.");
            else
                requested = ip;
        }

        errors.ThrowIfAny();

        // The new link replaces a link-up placeholder (or, forced, every link).
        var replaced = links.Where(l => modeText == "LINK_UP" || (l.AllocType == (int)IpAddressType.STICKY && l.Ip is null)).Select(l => l.Id).ToList();
        await InterfaceStore.RemoveLinksAsync(x.C, x.Tx, replaced, x.Ct);
        if (subnet is not null && nic.VlanId != subnet.VlanId)
        {
            nic.VlanId = subnet.VlanId;
            await InterfaceStore.SaveAsync(x.C, x.Tx, nic, x.Ct);
        }

        long linkId;
        switch (modeText)
        {
            case "STATIC":
                AllocatedAddress allocated;
                try
                {
                    allocated = (await IpAllocator.Shared.AllocateAsync(x.C, x.Tx, subnet!.Id, IpAddressType.STICKY, 1, x.Request.Caller.Id, requested, x.Ct))[0];
                }
                catch (NotFoundException) when (requested is not null)
                {
                    throw new ValidationException("ip_address", $"IP address {requested} is already in use.");
                }

                await InterfaceStore.AttachAsync(x.C, x.Tx, nic.Id, allocated.Id, x.Ct);
                linkId = allocated.Id;
                break;
            case "AUTO":
                linkId = await InterfaceStore.AddEmptyLinkAsync(x.C, x.Tx, nic.Id, (int)IpAddressType.AUTO, subnet!.Id, x.Ct);
                break;
            case "DHCP":
                linkId = await InterfaceStore.AddEmptyLinkAsync(x.C, x.Tx, nic.Id, (int)IpAddressType.DHCP, subnet?.Id, x.Ct);
                break;
            default:
                linkId = await InterfaceStore.AddEmptyLinkAsync(x.C, x.Tx, nic.Id, (int)IpAddressType.STICKY, subnet?.Id, x.Ct);
                break;
        }

        if (defaultGateway)
            await InterfaceStore.SetDefaultGatewayAsync(x.C, x.Tx, x.Node.Id, nic.Id, linkId, subnet!.Cidr.Contains(':', StringComparison.Ordinal), x.Ct);
        return (nic.Id, $"Linked interface '{nic.Name}' to {(subnet is null ? "no subnet" : $"subnet {subnet.Cidr}")} ({modeText}).");
    });

    private static Task<ApiResult> UnlinkSubnetAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "unlink_subnet", async x =>
    {
        var nic = x.Target;
        var linkId = r.Int("id");
        var link = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct)).FirstOrDefault(l => l.InterfaceId == nic.Id && l.Id == linkId)
            ?? throw new ValidationException("id", $"Select a valid choice. {linkId} is not one of the available choices.");
        await InterfaceStore.RemoveLinksAsync(x.C, x.Tx, [link.Id], x.Ct);
        return (nic.Id, $"Unlinked interface '{nic.Name}' from {link.SubnetCidr ?? "no subnet"}.");
    });

    private static Task<ApiResult> DisconnectAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "disconnect", async x =>
    {
        var nic = x.Target;
        var links = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct)).Where(l => l.InterfaceId == nic.Id).Select(l => l.Id).ToList();
        await InterfaceStore.RemoveLinksAsync(x.C, x.Tx, links, x.Ct);
        nic.VlanId = null;
        nic.DefaultGatewayV4IpId = null;
        nic.DefaultGatewayV6IpId = null;
        await InterfaceStore.SaveAsync(x.C, x.Tx, nic, x.Ct);
        return (nic.Id, $"Disconnected interface '{nic.Name}'.");
    });

    private static Task<ApiResult> SetDefaultGatewayAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "set_default_gateway", async x =>
    {
        var nic = x.Target;
        var usable = (await InterfaceStore.LinksOfNodeAsync(x.C, x.Tx, x.Node.Id, x.Ct))
            .Where(l => l.InterfaceId == nic.Id && l.GatewayIp is not null && l.AllocType is (int)IpAddressType.AUTO or (int)IpAddressType.STICKY or (int)IpAddressType.USER_RESERVED)
            .ToList();
        List<InterfaceLinkRecord> chosen;
        if (r.Int("link_id") is { } linkId)
        {
            var link = usable.FirstOrDefault(l => l.Id == linkId)
                ?? throw new ValidationException("link_id", $"Select a valid choice. {linkId} is not one of the available choices.");
            chosen = [link];
        }
        else
        {
            chosen = [.. usable.GroupBy(l => l.GatewayIp!.Contains(':', StringComparison.Ordinal)).Select(g => g.First())];
            if (chosen.Count == 0)
                throw new ValidationException("__all__", "This interface has no usable gateways.");
        }

        foreach (var link in chosen)
            await InterfaceStore.SetDefaultGatewayAsync(x.C, x.Tx, x.Node.Id, nic.Id, link.Id, link.GatewayIp!.Contains(':', StringComparison.Ordinal), x.Ct);
        return (nic.Id, $"Set the default gateway to {string.Join(", ", chosen.Select(l => l.GatewayIp))} on interface '{nic.Name}'.");
    });

    private static Task<ApiResult> AddTagAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "add_tag", async x =>
    {
        var nic = x.Target;
        var tag = r.RequiredString("tag");
        if (!nic.Tags.Contains(tag, StringComparer.Ordinal))
            nic.Tags = [.. nic.Tags, tag];
        await InterfaceStore.SaveAsync(x.C, x.Tx, nic, x.Ct);
        return (nic.Id, $"Added tag '{tag}' to interface '{nic.Name}'.");
    });

    private static Task<ApiResult> RemoveTagAsync(ApiRequest r) => ChangeAsync(r, ChangeKind.Structure, "remove_tag", async x =>
    {
        var nic = x.Target;
        var tag = r.RequiredString("tag");
        nic.Tags = [.. nic.Tags.Where(t => t != tag)];
        await InterfaceStore.SaveAsync(x.C, x.Tx, nic, x.Ct);
        return (nic.Id, $"Removed tag '{tag}' from interface '{nic.Name}'.");
    });
}
