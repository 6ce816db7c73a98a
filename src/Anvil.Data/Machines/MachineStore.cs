using System.Text.Json;
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

    public Task<IReadOnlyList<MachineView>> ListAsync(MachineQuery query, CancellationToken ct) =>
        db.ReadAsync(c => ListAsync(c, null, query, ct), ct);

    public async Task<MachineView?> GetAsync(string systemId, CancellationToken ct) =>
        (await ListAsync(new MachineQuery { SystemIds = [systemId], NodeType = null }, ct)).SingleOrDefault();

    public static async Task<IReadOnlyList<MachineView>> ListAsync(NpgsqlConnection c, NpgsqlTransaction? tx, MachineQuery query, CancellationToken ct)
    {
        var where = new List<string>();
        var args = new DynamicParameters();
        if (query.SystemIds is not null)
        {
            where.Add("n.system_id = ANY(@systemIds)");
            args.Add("systemIds", query.SystemIds.ToArray());
        }

        if (query.Statuses is not null)
        {
            where.Add("n.status = ANY(@statuses)");
            args.Add("statuses", query.Statuses.ToArray());
        }

        if (query.NodeType is { } nodeType)
        {
            where.Add("n.node_type = @nodeType");
            args.Add("nodeType", nodeType);
        }

        if (query.UnownedOnly)
            where.Add("n.owner_id IS NULL");
        if (query.OwnerId is { } ownerId)
        {
            where.Add("n.owner_id = @ownerId");
            args.Add("ownerId", ownerId);
        }

        var sql = ViewSelect + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY n.id";
        var machines = (await c.QueryAsync<MachineView>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).AsList();
        if (machines.Count == 0)
            return machines;

        var byId = machines.ToDictionary(m => m.Id);
        var ids = machines.Select(m => m.Id).ToArray();
        var related = new { ids };

        foreach (var (nodeId, name) in await c.QueryAsync<(long, string)>(new CommandDefinition(
            "SELECT nt.node_id, t.name FROM node_tag nt JOIN tag t ON t.id = nt.tag_id WHERE nt.node_id = ANY(@ids) ORDER BY t.name", related, tx, cancellationToken: ct)))
            byId[nodeId].TagNames.Add(name);

        foreach (var nic in await c.QueryAsync<InterfaceView>(new CommandDefinition(
            """
            SELECT id, node_id, name, type, mac_address::text AS mac_address, enabled, tags, mtu, vendor, product, firmware_version,
                   link_connected, interface_speed, link_speed, numa_node, sriov_max_vf
            FROM interface WHERE node_id = ANY(@ids) ORDER BY id
            """,
            related,
            tx,
            cancellationToken: ct)))
            byId[nic.NodeId].Interfaces.Add(nic);

        var disks = new Dictionary<long, BlockDeviceView>();
        foreach (var disk in await c.QueryAsync<BlockDeviceView>(new CommandDefinition(
            """
            SELECT id, node_id, name, type, model, serial, id_path, size, block_size, tags, is_boot_disk, uuid, firmware_version, numa_node
            FROM blockdevice WHERE node_id = ANY(@ids) ORDER BY id
            """,
            related,
            tx,
            cancellationToken: ct)))
        {
            byId[disk.NodeId].BlockDevices.Add(disk);
            disks[disk.Id] = disk;
        }

        if (disks.Count > 0)
        {
            foreach (var part in await c.QueryAsync<PartitionView>(new CommandDefinition(
                "SELECT id, blockdevice_id, number, size, uuid, bootable, tags FROM partition WHERE blockdevice_id = ANY(@diskIds) ORDER BY id",
                new { diskIds = disks.Keys.ToArray() },
                tx,
                cancellationToken: ct)))
                disks[part.BlockdeviceId].Partitions.Add(part);
        }

        foreach (var device in await c.QueryAsync<NodeDeviceView>(new CommandDefinition(
            """
            SELECT id, node_id, bus, hardware_type, vendor_id, product_id, vendor_name, product_name, commissioning_driver
            FROM node_device WHERE node_id = ANY(@ids) ORDER BY id
            """,
            related,
            tx,
            cancellationToken: ct)))
            byId[device.NodeId].Devices.Add(device);

        return machines;
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
