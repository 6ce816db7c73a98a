using System.Text.Json;
using Anvil.Data.Network;
using Anvil.Data.Storage;
using Anvil.Domain.Machines;
using Dapper;
using Npgsql;

namespace Anvil.Data.Machines;

/// <summary>Nodes: set-based reads for rendering, and lock-load-save for lifecycle changes.</summary>
public sealed class MachineStore(Database db)
{
    private const string ViewSelect =
        """
        SELECT n.id, n.system_id, n.hostname, n.description, n.node_type, n.status, n.owner_id, u.username AS owner_name, n.locked,
               n.domain_id, d.name AS domain_name, d.authoritative AS domain_authoritative, d.ttl AS domain_ttl, d.is_default AS domain_is_default,
               n.zone_id, z.name AS zone_name, z.description AS zone_description,
               n.pool_id, p.name AS pool_name, p.description AS pool_description,
               n.architecture, n.min_hwe_kernel, n.hwe_kernel, n.cpu_count, n.cpu_speed, n.memory, n.swap_size,
               n.osystem, n.distro_series, n.ephemeral_deploy, n.enable_hw_sync, n.enable_kernel_crash_dump, n.is_dpu,
               n.disable_ipv4, n.netboot, n.error_description, n.agent_name, n.hardware_uuid, n.bios_boot_method,
               n.power_type, n.power_state, n.status_message, n.status_action, n.address_ttl, parent.system_id AS parent_system_id,
               n.current_commissioning_result_id, n.current_testing_result_id, n.current_installation_result_id,
               n.workload_annotations::text AS workload_annotations, n.hardware_info::text AS hardware_info, n.created, n.updated
        FROM node n
        JOIN domain d ON d.id = n.domain_id
        JOIN zone z ON z.id = n.zone_id
        LEFT JOIN resource_pool p ON p.id = n.pool_id
        LEFT JOIN users u ON u.id = n.owner_id
        LEFT JOIN node parent ON parent.id = n.parent_id
        """;

    // The related rows are selected by joining node under the same WHERE as the nodes themselves,
    // so all six queries go in one batch (one round trip) and PostgreSQL can hash-join the whole
    // set instead of probing a ten-thousand-element id array.
    private const string TagSelect = "SELECT nt.node_id, t.name FROM node_tag nt JOIN tag t ON t.id = nt.tag_id JOIN node n ON n.id = nt.node_id";
    private const string TagOrder = " ORDER BY t.name";

    private const string InterfaceSelect =
        """
        SELECT i.id, i.node_id, i.name, i.type, i.mac_address::text, i.enabled, i.tags, i.mtu, i.vendor, i.product, i.firmware_version,
               i.link_connected, i.interface_speed, i.link_speed, i.numa_node, i.sriov_max_vf, i.vlan_id, i.params::text, i.accept_ra,
               i.default_gateway_v4_ip_id, i.default_gateway_v6_ip_id
        FROM interface i JOIN node n ON n.id = i.node_id
        """;
    private const string InterfaceOrder = " ORDER BY i.id";

    private const string RelationshipSelect =
        """
        SELECT r.parent_id, p.name, r.child_id, ch.name
        FROM interface_relationship r JOIN interface p ON p.id = r.parent_id JOIN interface ch ON ch.id = r.child_id JOIN node n ON n.id = ch.node_id
        """;
    private const string RelationshipOrder = " ORDER BY p.name, ch.name";

    private const string AddressSelect =
        """
        SELECT a.id, l.interface_id, a.alloc_type, host(a.ip), a.subnet_id, a.temp_expires_on IS NOT NULL
        FROM interface_ip l JOIN staticipaddress a ON a.id = l.staticipaddress_id JOIN interface i ON i.id = l.interface_id JOIN node n ON n.id = i.node_id
        """;
    private const string AddressOrder = " ORDER BY a.id";

    private const string BlockDeviceSelect =
        """
        SELECT b.id, b.node_id, b.name, b.type, b.model, b.serial, b.id_path, b.size, b.block_size, b.tags, b.is_boot_disk, b.uuid,
               b.firmware_version, b.numa_node
        FROM blockdevice b JOIN node n ON n.id = b.node_id AND b.type = 'physical'
        """;
    private const string BlockDeviceOrder = " ORDER BY b.id";

    private const string PartitionSelect =
        """
        SELECT pt.id, pt.blockdevice_id, pt.number, pt.size, pt.uuid, pt.bootable, pt.tags
        FROM partition pt JOIN blockdevice b ON b.id = pt.blockdevice_id AND b.type = 'physical' JOIN node n ON n.id = b.node_id
        """;
    private const string PartitionOrder = " ORDER BY pt.id";

    private const string DeviceSelect =
        """
        SELECT nd.id, nd.node_id, nd.bus, nd.hardware_type, nd.vendor_id, nd.product_id, nd.vendor_name, nd.product_name, nd.commissioning_driver
        FROM node_device nd JOIN node n ON n.id = nd.node_id
        """;
    private const string DeviceOrder = " ORDER BY nd.id";

    // The results of each node's current commissioning and testing sets: its script status summary.
    private const string ScriptResultSelect =
        """
        SELECT n.id, ss.result_type, s.hardware_type, r.status, r.suppressed
        FROM node n JOIN script_set ss ON ss.id IN (n.current_commissioning_result_id, n.current_testing_result_id)
        JOIN script_result r ON r.script_set_id = ss.id LEFT JOIN script s ON s.id = r.script_id
        """;

    public Task<IReadOnlyList<MachineView>> ListAsync(MachineQuery query, CancellationToken ct) =>
        db.ReadAsync(c => ListAsync(c, null, query, ct), ct);

    public async Task<MachineView?> GetAsync(string systemId, CancellationToken ct) =>
        (await ListAsync(new MachineQuery { SystemIds = [systemId], NodeType = null }, ct)).SingleOrDefault();

    /// <summary>
    /// The machines <paramref name="query"/> selects, ordered by id, with their tags, NICs, disks
    /// (with partitions) and devices. Read with plain data readers: for ten thousand machines the
    /// per-row mapping cost is what dominates, not the SQL.
    /// </summary>
    public static async Task<IReadOnlyList<MachineView>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, MachineQuery query, CancellationToken ct)
    {
        var (where, parameters) = Where(query);
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var (select, order) in (ReadOnlySpan<(string, string)>)
                 [
                     (ViewSelect, " ORDER BY n.id"), (TagSelect, TagOrder), (InterfaceSelect, InterfaceOrder),
                     (BlockDeviceSelect, BlockDeviceOrder), (PartitionSelect, PartitionOrder), (DeviceSelect, DeviceOrder),
                     (RelationshipSelect, RelationshipOrder), (AddressSelect, AddressOrder), (ScriptResultSelect, ""),
                 ])
        {
            var command = new NpgsqlBatchCommand(select + where + order);
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var machines = new List<MachineView>();
        while (await reader.ReadAsync(ct))
            machines.Add(MachineViewReader.Machine(reader));
        var byId = new Dictionary<long, MachineView>(machines.Count);
        foreach (var machine in machines)
            byId[machine.Id] = machine;

        // Rows of a node the first statement did not see (created in between) are skipped.
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (byId.TryGetValue(reader.GetInt64(0), out var machine))
                machine.TagNames.Add(reader.GetString(1));
        }

        var nics = new Dictionary<long, InterfaceView>();
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var nic = MachineViewReader.Interface(reader);
            if (byId.TryGetValue(nic.NodeId, out var machine))
            {
                machine.Interfaces.Add(nic);
                nics[nic.Id] = nic;
            }
        }

        var disks = new Dictionary<long, BlockDeviceView>();
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var disk = MachineViewReader.BlockDevice(reader);
            if (byId.TryGetValue(disk.NodeId, out var machine))
            {
                machine.BlockDevices.Add(disk);
                disks[disk.Id] = disk;
            }
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var part = MachineViewReader.Partition(reader);
            if (disks.TryGetValue(part.BlockdeviceId, out var disk))
                disk.Partitions.Add(part);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var device = MachineViewReader.Device(reader);
            if (byId.TryGetValue(device.NodeId, out var machine))
                machine.Devices.Add(device);
        }

        // Ordered by name, so parents and children come out sorted as MAAS shows them.
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (nics.TryGetValue(reader.GetInt64(0), out var parent))
                parent.Children.Add(reader.GetString(3));
            if (nics.TryGetValue(reader.GetInt64(2), out var child))
                child.Parents.Add(reader.GetString(1));
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var address = MachineViewReader.Address(reader);
            if (nics.TryGetValue(address.InterfaceId, out var nic))
                nic.Addresses.Add(address);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (byId.TryGetValue(reader.GetInt64(0), out var machine))
                machine.ScriptResults.Add(MachineViewReader.ScriptResult(reader));
        }

        await reader.DisposeAsync();
        if (nics.Count > 0)
        {
            var network = new NetworkSnapshot(await VlanStore.ListAsync(c, tx, ct), await SubnetStore.ListAsync(c, tx, ct));
            foreach (var machine in machines)
                machine.Network = network;
        }

        var storage = await StorageReader.LoadManyAsync(c, tx, [.. machines.Select(m => m.Id)], lockNode: false, ct);
        foreach (var machine in machines)
            machine.Storage = storage.GetValueOrDefault(machine.Id);
        return machines;
    }

    private static (string Where, List<(string Name, object Value)> Parameters) Where(MachineQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string, object)>();
        if (query.SystemIds is not null)
        {
            where.Add("n.system_id = ANY(@systemIds)");
            parameters.Add(("systemIds", query.SystemIds.ToArray()));
        }

        if (query.Statuses is not null)
        {
            where.Add("n.status = ANY(@statuses)");
            parameters.Add(("statuses", query.Statuses.ToArray()));
        }

        if (query.NodeType is { } nodeType)
        {
            where.Add("n.node_type = @nodeType");
            parameters.Add(("nodeType", nodeType));
        }

        if (query.UnownedOnly)
            where.Add("n.owner_id IS NULL");
        if (query.OwnerId is { } ownerId)
        {
            where.Add("n.owner_id = @ownerId");
            parameters.Add(("ownerId", ownerId));
        }

        return (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "", parameters);
    }

    /// <summary>Loads a node's lifecycle state and locks its row until the transaction ends.</summary>
    public static async Task<Machine?> LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, string systemId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<LifecycleRow>(new CommandDefinition(
            """
            SELECT n.id, n.system_id, n.hostname, n.node_type, n.status, n.previous_status, n.owner_id, u.username AS owner_name, n.locked,
                   n.power_type, n.power_state, n.agent_name, n.osystem, n.distro_series, n.hwe_kernel, n.license_key,
                   n.ephemeral_deploy, n.enable_hw_sync, n.enable_kernel_crash_dump, n.netboot, n.error_description,
                   n.enlisting, n.enable_ssh, n.skip_bmc_config, n.skip_networking, n.skip_storage,
                   n.status_expires, n.workload_annotations::text AS workload_annotations
            FROM node n LEFT JOIN users u ON u.id = n.owner_id
            WHERE n.system_id = @systemId
            FOR UPDATE OF n
            """,
            new { systemId },
            tx,
            cancellationToken: ct));
        return row?.ToMachine();
    }

    /// <summary>Writes back what lifecycle operations change.</summary>
    public static Task SaveLifecycleAsync(NpgsqlConnection c, NpgsqlTransaction tx, Machine m, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE node SET status = @Status, previous_status = @PreviousStatus, owner_id = @OwnerId, locked = @Locked,
                   power_state = @PowerState, agent_name = @AgentName, osystem = @Osystem, distro_series = @DistroSeries,
                   hwe_kernel = @HweKernel, license_key = @LicenseKey, ephemeral_deploy = @EphemeralDeploy,
                   enable_hw_sync = @EnableHwSync, enable_kernel_crash_dump = @EnableKernelCrashDump, netboot = @Netboot,
                   error_description = @ErrorDescription, enlisting = @Enlisting, status_expires = @StatusExpires,
                   enable_ssh = @EnableSsh, skip_bmc_config = @SkipBmcConfig, skip_networking = @SkipNetworking, skip_storage = @SkipStorage,
                   workload_annotations = @annotations::jsonb, updated = now()
            WHERE id = @Id
            """,
            new
            {
                m.Id,
                Status = (int)m.Status,
                PreviousStatus = (int)m.PreviousStatus,
                m.OwnerId,
                m.Locked,
                m.PowerState,
                m.AgentName,
                m.Osystem,
                m.DistroSeries,
                m.HweKernel,
                m.LicenseKey,
                m.EphemeralDeploy,
                m.EnableHwSync,
                m.EnableKernelCrashDump,
                m.Netboot,
                m.ErrorDescription,
                m.Enlisting,
                m.StatusExpires,
                m.EnableSsh,
                m.SkipBmcConfig,
                m.SkipNetworking,
                m.SkipStorage,
                annotations = JsonSerializer.Serialize(m.WorkloadAnnotations),
            },
            tx,
            cancellationToken: ct));

    /// <summary>Nodes whose running operation has passed its deadline; the status monitor fails them.</summary>
    public static async Task<IReadOnlyList<string>> ExpiredAsync(NpgsqlConnection c, DateTimeOffset now, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT system_id FROM node WHERE status_expires IS NOT NULL AND status_expires < @now ORDER BY status_expires LIMIT 500",
            new { now },
            cancellationToken: ct))).AsList();

    private sealed class LifecycleRow
    {
        public long Id { get; set; }
        public string SystemId { get; set; } = "";
        public string Hostname { get; set; } = "";
        public int NodeType { get; set; }
        public int Status { get; set; }
        public int PreviousStatus { get; set; }
        public long? OwnerId { get; set; }
        public string? OwnerName { get; set; }
        public bool Locked { get; set; }
        public string PowerType { get; set; } = "";
        public string PowerState { get; set; } = "";
        public string AgentName { get; set; } = "";
        public string Osystem { get; set; } = "";
        public string DistroSeries { get; set; } = "";
        public string? HweKernel { get; set; }
        public string LicenseKey { get; set; } = "";
        public bool EphemeralDeploy { get; set; }
        public bool EnableHwSync { get; set; }
        public bool EnableKernelCrashDump { get; set; }
        public bool Netboot { get; set; }
        public string ErrorDescription { get; set; } = "";
        public bool Enlisting { get; set; }
        public bool EnableSsh { get; set; }
        public bool SkipBmcConfig { get; set; }
        public bool SkipNetworking { get; set; }
        public bool SkipStorage { get; set; }
        public DateTimeOffset? StatusExpires { get; set; }
        public string WorkloadAnnotations { get; set; } = "{}";

        public Machine ToMachine()
        {
            var machine = new Machine
            {
                Id = Id,
                SystemId = SystemId,
                Hostname = Hostname,
                NodeType = (NodeType)NodeType,
                Status = (NodeStatus)Status,
                PreviousStatus = (NodeStatus)PreviousStatus,
                OwnerId = OwnerId,
                OwnerName = OwnerName,
                Locked = Locked,
                PowerType = PowerType,
                PowerState = PowerState,
                AgentName = AgentName,
                Osystem = Osystem,
                DistroSeries = DistroSeries,
                HweKernel = HweKernel,
                LicenseKey = LicenseKey,
                EphemeralDeploy = EphemeralDeploy,
                EnableHwSync = EnableHwSync,
                EnableKernelCrashDump = EnableKernelCrashDump,
                Netboot = Netboot,
                ErrorDescription = ErrorDescription,
                Enlisting = Enlisting,
                EnableSsh = EnableSsh,
                SkipBmcConfig = SkipBmcConfig,
                SkipNetworking = SkipNetworking,
                SkipStorage = SkipStorage,
                StatusExpires = StatusExpires,
            };
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(WorkloadAnnotations) ?? [])
                machine.WorkloadAnnotations[key] = value;
            return machine;
        }
    }
}
