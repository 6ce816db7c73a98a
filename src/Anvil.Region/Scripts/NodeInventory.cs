using System.Text.Json;
using Anvil.Domain.Commissioning;
using Anvil.Domain.Errors;
using Dapper;
using Npgsql;

namespace Anvil.Region.Scripts;

/// <summary>
/// Writes what the machine-resources script found onto the node: its fields, physical disks,
/// physical NICs and PCI/USB devices. Re-commissioning replaces rather than adds: disks keep
/// their ids (and partitions) when their serial is unchanged, NICs are matched by MAC.
/// </summary>
internal static class NodeInventory
{
    private const int PciBus = 1;
    private const int UsbBus = 2;

    // Block-device tags commissioning sets (maas-api.md §15); others are the user's and stay.
    private static readonly string[] AutomaticDiskTags = ["rotary", "ssd", "removable"];

    public static async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, MachineResources resources, CancellationToken ct)
    {
        var architecture = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT architecture FROM node WHERE id = @nodeId FOR UPDATE", new { nodeId }, tx, cancellationToken: ct))
            ?? throw new NotFoundException($"No node with id {nodeId}.");
        await UpdateNodeAsync(c, tx, nodeId, architecture, resources, ct);
        await ReplaceDisksAsync(c, tx, nodeId, resources.Disks, ct);
        await UpdateNicsAsync(c, tx, nodeId, resources.Nics, ct);
        await ReplaceDevicesAsync(c, tx, nodeId, resources, ct);
        var lshw = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT lshw FROM node_probed_details WHERE node_id = @nodeId", new { nodeId }, tx, cancellationToken: ct));
        await ApplyNamesAsync(c, tx, nodeId, LshwNames.From(lshw), ct);
    }

    /// <summary>Vendor and product names from lshw, for whichever of lshw and the resources arrived first.</summary>
    public static async Task ApplyNamesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, LshwNames names, CancellationToken ct)
    {
        // One statement for all devices: per device it was a round trip and a scan of node_device
        // (no index on node_id) each, inside the transaction that holds the node's row lock.
        if (names.ByPciAddress.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE node_device d SET vendor_name = n.vendor, product_name = n.product
                FROM unnest(@addresses::text[], @vendors::text[], @products::text[]) AS n(address, vendor, product)
                WHERE d.node_id = @nodeId AND d.bus = @bus AND d.pci_address = n.address
                """,
                new
                {
                    nodeId,
                    bus = PciBus,
                    addresses = names.ByPciAddress.Keys.ToArray(),
                    vendors = names.ByPciAddress.Values.Select(d => d.Vendor).ToArray(),
                    products = names.ByPciAddress.Values.Select(d => d.Product).ToArray(),
                },
                tx,
                cancellationToken: ct));
        }

        foreach (var (mac, nic) in names.ByMac)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE interface SET vendor = NULLIF(@Vendor, ''), product = NULLIF(@Product, ''),
                    firmware_version = COALESCE(NULLIF(@Firmware, ''), firmware_version), updated = now()
                WHERE node_id = @nodeId AND type = 'physical' AND mac_address = @mac::macaddr
                """,
                new { nodeId, mac, nic.Vendor, nic.Product, nic.Firmware },
                tx,
                cancellationToken: ct));
        }
    }

    private static async Task UpdateNodeAsync(
        NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, string architecture, MachineResources resources, CancellationToken ct)
    {
        // The sub-architecture (e.g. amd64/hwe-22.04) is the admin's choice; only a new base architecture resets it.
        var newArchitecture = architecture.Split('/')[0] == resources.Architecture ? architecture : resources.Architecture + "/generic";
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE node SET cpu_count = @cpuCount, cpu_speed = @cpuSpeed, memory = @memory, architecture = @architecture,
                hardware_info = @hardwareInfo::jsonb, is_dpu = @isDpu,
                bios_boot_method = COALESCE(@biosBootMethod, bios_boot_method),
                hardware_uuid = CASE
                    WHEN @uuid::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM node o WHERE o.hardware_uuid = @uuid AND o.id <> @nodeId)
                    THEN @uuid ELSE hardware_uuid END,
                updated = now()
            WHERE id = @nodeId
            """,
            new
            {
                nodeId,
                cpuCount = resources.Cpu.Count,
                cpuSpeed = resources.Cpu.SpeedMhz,
                memory = (int)Math.Min(int.MaxValue, resources.MemoryBytes / (1024 * 1024)),
                architecture = newArchitecture,
                hardwareInfo = JsonSerializer.Serialize(HardwareInfo.From(resources)),
                isDpu = DpuDevices.IsDpuItself(resources),
                uuid = HardwareInfo.HardwareUuid(resources),
                // MAAS's names for how a machine boots: uefi, or pxe for a BIOS network boot.
                biosBootMethod = resources.Firmware switch { "uefi" => "uefi", "bios" => "pxe", _ => null },
            },
            tx,
            cancellationToken: ct));
    }

    private sealed class StoredDisk
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Serial { get; init; } = "";
        public string? IdPath { get; init; }
        public string Model { get; init; } = "";
        public long Size { get; init; }
        public string[] Tags { get; init; } = [];
    }

    private static async Task ReplaceDisksAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, IReadOnlyList<DiskResource> disks, CancellationToken ct)
    {
        var stored = (await c.QueryAsync<StoredDisk>(new CommandDefinition(
            "SELECT id, name, serial, id_path AS idpath, model, size, tags FROM blockdevice WHERE node_id = @nodeId AND type = 'physical' ORDER BY id",
            new { nodeId },
            tx,
            cancellationToken: ct))).AsList();
        var unmatched = stored.ToList();
        var matches = new List<(DiskResource Disk, StoredDisk? Stored)>();
        foreach (var disk in disks)
        {
            var match = unmatched.FirstOrDefault(s => disk.Serial.Length > 0 && s.Serial == disk.Serial)
                ?? unmatched.FirstOrDefault(s => disk.Serial.Length == 0 && disk.IdPath.Length > 0 && s.IdPath == disk.IdPath)
                ?? unmatched.FirstOrDefault(s => disk.Serial.Length == 0 && s.Serial.Length == 0 && s.Name == disk.Name && s.Model == disk.Model && s.Size == disk.Size);
            if (match is not null)
                unmatched.Remove(match);
            matches.Add((disk, match));
        }

        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blockdevice WHERE id = ANY(@ids)", new { ids = unmatched.Select(s => s.Id).ToArray() }, tx, cancellationToken: ct));
        // Kernel names move between disks across boots (sda <-> sdb); park the kept ones first so
        // the unique (node, name) never trips halfway.
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE blockdevice SET name = name || '~' || id WHERE id = ANY(@ids)",
            new { ids = matches.Where(m => m.Stored is not null).Select(m => m.Stored!.Id).ToArray() },
            tx,
            cancellationToken: ct));
        foreach (var (disk, match) in matches)
        {
            var parameters = new
            {
                nodeId,
                id = match?.Id ?? 0,
                disk.Name,
                disk.Model,
                disk.Serial,
                idPath = disk.IdPath.Length > 0 ? disk.IdPath : null,
                disk.Size,
                disk.BlockSize,
                tags = DiskTags(disk, match?.Tags ?? []),
                firmware = disk.FirmwareVersion.Length > 0 ? disk.FirmwareVersion : null,
                disk.NumaNode,
            };
            var sql = match is null
                ? """
                  INSERT INTO blockdevice (node_id, name, type, model, serial, id_path, size, block_size, tags, firmware_version, numa_node)
                  VALUES (@nodeId, @Name, 'physical', @Model, @Serial, @idPath, @Size, @BlockSize, @tags, @firmware, @NumaNode)
                  """
                : """
                  UPDATE blockdevice SET name = @Name, model = @Model, serial = @Serial, id_path = @idPath, size = @Size,
                      block_size = @BlockSize, tags = @tags, firmware_version = @firmware, numa_node = @NumaNode, updated = now()
                  WHERE id = @id
                  """;
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
    }

    private static string[] DiskTags(DiskResource disk, string[] current) =>
        [.. current.Where(t => !AutomaticDiskTags.Contains(t)), disk.Rotational ? "rotary" : "ssd", .. disk.Removable ? ["removable"] : Array.Empty<string>()];

    private sealed class StoredInterface
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Type { get; init; } = "";
        public string? Mac { get; init; }
        public bool InUse { get; init; }
    }

    private static async Task UpdateNicsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, IReadOnlyList<NicResource> nics, CancellationToken ct)
    {
        var stored = (await c.QueryAsync<StoredInterface>(new CommandDefinition(
            """
            SELECT i.id, i.name, i.type, i.mac_address::text AS mac,
                EXISTS (SELECT 1 FROM interface_ip ip WHERE ip.interface_id = i.id)
                OR EXISTS (SELECT 1 FROM interface_relationship r WHERE r.parent_id = i.id) AS inuse
            FROM interface i WHERE i.node_id = @nodeId ORDER BY i.id
            """,
            new { nodeId },
            tx,
            cancellationToken: ct))).AsList();
        // A MAC already on another machine stays there: commissioning does not move NICs between nodes.
        var elsewhere = (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT mac_address::text FROM interface
            WHERE type = 'physical' AND node_id IS DISTINCT FROM @nodeId AND mac_address = ANY(@macs::macaddr[])
            """,
            new { nodeId, macs = nics.Select(n => n.Mac).ToArray() },
            tx,
            cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);

        var physical = stored.Where(s => s.Type == "physical").ToList();
        var reported = nics.Where(n => !elsewhere.Contains(n.Mac)).ToList();
        var matched = reported.Select(n => (Nic: n, Stored: physical.FirstOrDefault(p => p.Mac == n.Mac))).ToList();
        var gone = physical.Where(p => reported.All(n => n.Mac != p.Mac)).ToList();

        // NICs no longer seen go, unless addresses or bonds/bridges/VLANs hang on them: those are
        // kept, marked disconnected, for the admin to sort out.
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM interface WHERE id = ANY(@ids)", new { ids = gone.Where(g => !g.InUse).Select(g => g.Id).ToArray() }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE interface SET link_connected = false, updated = now() WHERE id = ANY(@ids)",
            new { ids = gone.Where(g => g.InUse).Select(g => g.Id).ToArray() },
            tx,
            cancellationToken: ct));
        var keptIds = matched.Where(m => m.Stored is not null).Select(m => m.Stored!.Id).ToArray();
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE interface SET name = name || '~' || id WHERE id = ANY(@keptIds)", new { keptIds }, tx, cancellationToken: ct));

        var taken = stored.Where(s => !keptIds.Contains(s.Id) && !gone.Any(g => g.Id == s.Id && !g.InUse)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (nic, match) in matched)
        {
            var name = nic.Name;
            for (var n = 1; !taken.Add(name); n++)
                name = $"{nic.Name}-{n}";
            var parameters = new
            {
                nodeId,
                id = match?.Id ?? 0,
                name,
                mac = nic.Mac,
                link = nic.Link,
                speed = nic.SpeedMbps,
                numa = nic.NumaNode,
                sriov = nic.SriovMaxVf,
            };
            var sql = match is null
                ? """
                  INSERT INTO interface (node_id, name, type, mac_address, link_connected, link_speed, interface_speed, numa_node, sriov_max_vf)
                  VALUES (@nodeId, @name, 'physical', @mac::macaddr, @link, @speed, @speed, @numa, @sriov)
                  """
                : """
                  UPDATE interface SET name = @name, link_connected = @link, link_speed = @speed,
                      interface_speed = GREATEST(interface_speed, @speed), numa_node = @numa, sriov_max_vf = @sriov, updated = now()
                  WHERE id = @id
                  """;
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
        }
    }

    private static async Task ReplaceDevicesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, MachineResources resources, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM node_device WHERE node_id = @nodeId", new { nodeId }, tx, cancellationToken: ct));
        var rows = resources.PciDevices.Select(p => new
        {
            nodeId,
            bus = PciBus,
            hardwareType = PciHardwareType(p.Class),
            vendorId = p.VendorId,
            productId = p.ProductId,
            vendorName = "",
            productName = "",
            driver = p.Driver,
            busNumber = PciField(p.Address, 1),
            deviceNumber = PciField(p.Address, 2),
            pciAddress = (string?)p.Address,
        }).Concat(resources.UsbDevices.Select(u => new
        {
            nodeId,
            bus = UsbBus,
            hardwareType = 0,
            vendorId = u.VendorId,
            productId = u.ProductId,
            vendorName = u.VendorName,
            productName = u.ProductName,
            driver = u.Driver,
            busNumber = u.BusNumber,
            deviceNumber = u.DeviceNumber,
            pciAddress = (string?)null,
        })).ToList();
        if (rows.Count == 0)
            return;
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO node_device (node_id, bus, hardware_type, vendor_id, product_id, vendor_name, product_name,
                commissioning_driver, bus_number, device_number, pci_address)
            VALUES (@nodeId, @bus, @hardwareType, @vendorId, @productId, @vendorName, @productName, @driver, @busNumber, @deviceNumber, @pciAddress)
            """,
            rows,
            tx,
            cancellationToken: ct));
    }

    // MAAS's HARDWARE_TYPE from the PCI class: mass storage, network, display.
    private static int PciHardwareType(string pciClass) => pciClass.Length >= 2 ? pciClass[..2] switch
    {
        "01" => 3,
        "02" => 4,
        "03" => 5,
        _ => 0,
    } : 0;

    // 0000:00:1f.2 -> bus 0x00 (part 1), device 0x1f (part 2)
    private static int PciField(string address, int part)
    {
        var fields = address.Split(':', '.');
        return fields.Length == 4 && int.TryParse(fields[part], System.Globalization.NumberStyles.HexNumber, null, out var value) ? value : 0;
    }
}
