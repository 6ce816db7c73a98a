using System.Globalization;
using Anvil.Data;
using Anvil.Data.Events;
using Anvil.Data.Interfaces;
using Anvil.Data.Machines;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Npgsql;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Interfaces;

/// <summary>
/// <c>nodes/{system_id}/interfaces/</c> and <c>nodes/{system_id}/interfaces/{id}/</c> (maas-api.md
/// §3.8). Every change locks the node, checks its state and the caller's permission, and is one
/// transaction with its AUDIT event; the response is the interface as read back.
/// </summary>
internal static partial class InterfacesApi
{
    /// <summary>What a change may do to a machine in which state (MAAS's ALLOWED_STATES; PUT also when deployed).</summary>
    private enum ChangeKind
    {
        Structure,
        Update,
    }

    private static readonly NodeStatus[] AllowedStates = [NodeStatus.NEW, NodeStatus.READY, NodeStatus.FAILED_TESTING, NodeStatus.ALLOCATED, NodeStatus.BROKEN];

    public static void Map(ApiCatalogBuilder api)
    {
        api.Handler("InterfacesHandler", "nodes/{system_id}/interfaces/", "Manage interfaces on a node.")
            .Read(ListAsync, "List interfaces.\nLists the node's interfaces.", ApiError.NotFound("No such node."))
            .Post("create_physical", CreatePhysicalAsync, "Create a physical interface.",
                String("mac_address", "MAC address of the interface.", required: true),
                String("name", "Name of the interface."),
                String("tags", "Comma-separated tags."),
                String("vlan", "Untagged VLAN id the interface is connected to."),
                Int("mtu", "Maximum transmission unit."),
                Bool("accept_ra", "Accept router advertisements (IPv6 only)."),
                ApiError.Conflict("The machine is not in a state that allows changing its interfaces."))
            .Post("create_bond", CreateBondAsync, "Create a bond interface.",
                String("name", "Name of the interface.", required: true),
                Strings("parents", "Ids of the parent interfaces.", required: true),
                String("mac_address", "MAC address of the interface."),
                String("tags", "Comma-separated tags."),
                String("vlan", "VLAN id the interface is connected to."),
                String("bond_mode", "balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb or balance-alb."),
                Int("bond_miimon", "Link monitoring frequency in milliseconds (default 100)."),
                Int("bond_downdelay", "Milliseconds to wait before disabling a slave after a link failure."),
                Int("bond_updelay", "Milliseconds to wait before enabling a slave after a link recovery."),
                String("bond_lacp_rate", "fast or slow (802.3ad)."),
                String("bond_xmit_hash_policy", "layer2, layer2+3, layer3+4, encap2+3 or encap3+4."),
                Int("bond_num_grat_arp", "Peer notifications after a failover (default 1)."),
                Int("mtu", "Maximum transmission unit."),
                Bool("accept_ra", "Accept router advertisements (IPv6 only)."))
            .Post("create_bridge", CreateBridgeAsync, "Create a bridge interface.",
                String("name", "Name of the interface (default br-<parent>)."),
                String("mac_address", "MAC address of the interface."),
                String("tags", "Comma-separated tags."),
                String("vlan", "VLAN id the interface is connected to."),
                String("parent", "Id of the parent interface."),
                Strings("parents", "Id of the parent interface."),
                String("bridge_type", "standard or ovs."),
                Bool("bridge_stp", "Turn spanning tree on or off (default off)."),
                Int("bridge_fd", "Forward delay in seconds (default 15)."),
                Int("mtu", "Maximum transmission unit."),
                Bool("accept_ra", "Accept router advertisements (IPv6 only)."))
            .Post("create_vlan", CreateVlanAsync, "Create a VLAN interface.",
                String("vlan", "Tagged VLAN id the interface is connected to.", required: true),
                String("parent", "Id of the parent interface."),
                Strings("parents", "Id of the parent interface."),
                String("tags", "Comma-separated tags."),
                Int("mtu", "Maximum transmission unit."),
                Bool("accept_ra", "Accept router advertisements (IPv6 only)."));

        api.Handler("InterfaceHandler", "nodes/{system_id}/interfaces/{id}/", "Manage a node's interface.")
            .Read(ReadAsync, "Read an interface.", ApiError.NotFound("No such node or interface."))
            .Update(UpdateAsync, "Update an interface.\nThe fields that apply depend on the interface type.",
                String("name", "Name of the interface."),
                String("mac_address", "MAC address of the interface."),
                String("tags", "Comma-separated tags."),
                String("vlan", "VLAN id the interface is connected to."),
                Strings("parents", "Ids of the parent interfaces (bond, bridge, VLAN)."),
                String("parent", "Id of the parent interface."),
                String("bond_mode", "Bond mode."),
                Int("bond_miimon", "Link monitoring frequency in milliseconds."),
                Int("bond_downdelay", "Down delay in milliseconds."),
                Int("bond_updelay", "Up delay in milliseconds."),
                String("bond_lacp_rate", "fast or slow."),
                String("bond_xmit_hash_policy", "Transmit hash policy."),
                Int("bond_num_grat_arp", "Peer notifications after a failover."),
                String("bridge_type", "standard or ovs."),
                Bool("bridge_stp", "Spanning tree."),
                Int("bridge_fd", "Forward delay in seconds."),
                Int("mtu", "Maximum transmission unit."),
                Bool("accept_ra", "Accept router advertisements (IPv6 only)."),
                Bool("link_connected", "Whether the interface is physically connected."),
                Int("interface_speed", "The speed of the interface in Mbit/s."),
                Int("link_speed", "The speed of the link in Mbit/s."))
            .Delete(DeleteAsync, "Delete an interface.")
            .Post("link_subnet", LinkSubnetAsync, "Link an interface with a subnet.",
                String("mode", "AUTO, DHCP, STATIC or LINK_UP.", required: true),
                String("subnet", "Subnet id or specifier."),
                String("ip_address", "Static address (STATIC mode); the next free one when omitted."),
                Bool("force", "Allow LINK_UP over existing links, and a subnet of another VLAN."),
                Bool("default_gateway", "Make this link the node's default gateway (AUTO and STATIC)."))
            .Post("unlink_subnet", UnlinkSubnetAsync, "Unlink an interface from a subnet.", Int("id", "Id of the link.", required: true))
            .Post("disconnect", DisconnectAsync, "Disconnect an interface.\nDeletes its links and disconnects it from its VLAN.")
            .Post("set_default_gateway", SetDefaultGatewayAsync, "Set the node's default gateway to a link of this interface.", Int("link_id", "Id of the link."))
            .Post("add_tag", AddTagAsync, "Add a tag to an interface.", String("tag", "The tag.", required: true))
            .Post("remove_tag", RemoveTagAsync, "Remove a tag from an interface.", String("tag", "The tag.", required: true));
    }

    /// <summary>What a change handler sees: the locked node and its interfaces as they are now.</summary>
    private sealed record Change(ApiRequest Request, NpgsqlConnection C, NpgsqlTransaction Tx, Machine Node, IReadOnlyList<InterfaceRecord> Interfaces, IReadOnlyList<(long ParentId, long ChildId)> Relations)
    {
        public CancellationToken Ct => Request.Aborted;

        public InterfaceRecord Target => Interfaces.FirstOrDefault(i => i.Id.ToString(CultureInfo.InvariantCulture) == Request.Path("id"))
            ?? throw new NotFoundException("No Interface matches the given query.");

        public IEnumerable<long> ParentsOf(long id) => Relations.Where(r => r.ChildId == id).Select(r => r.ParentId);

        public IEnumerable<long> ChildrenOf(long id) => Relations.Where(r => r.ParentId == id).Select(r => r.ChildId);

        public bool Deployed => Node.Status == NodeStatus.DEPLOYED;
    }

    private static async Task<ApiResult> ListAsync(ApiRequest r) => ApiResult.JsonUtf8(InterfaceJson.Many(await NodeViewAsync(r)));

    private static async Task<ApiResult> ReadAsync(ApiRequest r)
    {
        var node = await NodeViewAsync(r);
        return ApiResult.JsonUtf8(InterfaceJson.One(node, FindIn(node, r.Path("id"))));
    }

    private static async Task<MachineView> NodeViewAsync(ApiRequest r) =>
        (await r.Service<MachineStore>().ListAsync(new MachineQuery { SystemIds = [r.Path("system_id")], NodeType = null }, r.Aborted)).SingleOrDefault()
        ?? throw NodeNotFound();

    private static InterfaceView FindIn(MachineView node, string id) =>
        node.Interfaces.FirstOrDefault(i => i.Id.ToString(CultureInfo.InvariantCulture) == id) ?? throw new NotFoundException("No Interface matches the given query.");

    private static NotFoundException NodeNotFound() => new("No Node matches the given query.");

    /// <summary>
    /// Runs <paramref name="change"/> on the locked node; it returns the interface to answer with
    /// (null: 204) and the audit description.
    /// </summary>
    private static async Task<ApiResult> ChangeAsync(ApiRequest r, ChangeKind kind, string action, Func<Change, Task<(long? InterfaceId, string Description)>> change)
    {
        var systemId = r.Path("system_id");
        var actor = r.Caller.ToActor();
        var interfaceId = await r.Service<Database>().InTransactionAsync(
            async (c, tx) =>
            {
                var node = await MachineStore.LockAsync(c, tx, systemId, r.Aborted) ?? throw NodeNotFound();
                var isMachine = node.NodeType == NodeType.MACHINE;
                NodePermissions.Require(actor, node, isMachine ? NodePermission.Admin : NodePermission.Edit);
                if (node.NodeType is NodeType.RACK_CONTROLLER or NodeType.REGION_CONTROLLER or NodeType.REGION_AND_RACK_CONTROLLER && kind != ChangeKind.Update)
                    throw new ForbiddenException("Cannot change the interfaces of a controller this way.");
                if (isMachine && !AllowedStates.Contains(node.Status) && !(kind == ChangeKind.Update && node.Status == NodeStatus.DEPLOYED))
                    throw new ConflictException($"Cannot {action.Replace('_', ' ')} interface because the machine is not New, Ready, Allocated, Broken or Failed testing.");
                var interfaces = await InterfaceStore.ListOfNodeAsync(c, tx, node.Id, r.Aborted);
                var relations = await InterfaceStore.RelationshipsAsync(c, tx, node.Id, r.Aborted);
                var (id, description) = await change(new Change(r, c, tx, node, interfaces, relations));
                await EventStore.RecordAsync(c, tx, node.Id, new NodeEvent(EventTypes.NODE, description, action), actor, r.Aborted);
                return id;
            },
            r.Aborted);
        if (interfaceId is not { } answered)
            return ApiResult.Deleted;
        var view = await NodeViewAsync(r);
        return ApiResult.JsonUtf8(InterfaceJson.One(view, FindIn(view, answered.ToString(CultureInfo.InvariantCulture))));
    }
}
