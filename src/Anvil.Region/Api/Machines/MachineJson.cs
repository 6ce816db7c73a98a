using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Domain.Machines;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Writes machine objects exactly as MAAS renders them (every field of maas-api.md §4, with the
/// right JSON types), straight to UTF-8 so that listing ten thousand machines stays fast.
/// </summary>
internal static class MachineJson
{
    private const string ApiPrefix = "/MAAS/api/2.0/";
    private const int StreamChunkBytes = 32 * 1024;

    private static readonly string[] HardwareInfoKeys =
    [
        "system_vendor", "system_product", "system_family", "system_version", "system_sku", "system_serial", "cpu_model",
        "mainboard_vendor", "mainboard_product", "mainboard_serial", "mainboard_version", "mainboard_firmware_vendor",
        "mainboard_firmware_date", "mainboard_firmware_version", "chassis_vendor", "chassis_type", "chassis_serial", "chassis_version",
    ];

    private static readonly string[] TestStatusFields =
    [
        "commissioning_status", "testing_status", "cpu_test_status", "memory_test_status", "network_test_status",
        "storage_test_status", "other_test_status", "interface_test_status",
    ];

    public static ReadOnlyMemory<byte> One(MachineView machine, ConstraintsByTypeWriter? constraints = null)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer))
            Write(w, machine, constraints);
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// Streams a listing into <paramref name="output"/> (the response body) a few tens of kilobytes
    /// at a time, so sending overlaps rendering and a large listing is never held in memory whole.
    /// The bytes are exactly those of <see cref="Many"/>.
    /// </summary>
    public static async Task WriteManyAsync(IEnumerable<MachineView> machines, PipeWriter output, CancellationToken ct)
    {
        await using var w = new Utf8JsonWriter(output);
        w.WriteStartArray();
        foreach (var machine in machines)
        {
            Write(w, machine, null);
            if (w.BytesPending >= StreamChunkBytes)
            {
                w.Flush();
                await output.FlushAsync(ct);
            }
        }

        w.WriteEndArray();
        w.Flush();
        await output.FlushAsync(ct);
    }

    public static ReadOnlyMemory<byte> Many(IEnumerable<MachineView> machines)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var machine in machines)
                Write(w, machine, null);
            w.WriteEndArray();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>The fields an anonymous caller sees (MAAS's DISPLAYED_ANON_MACHINE_FIELDS).</summary>
    public static ReadOnlyMemory<byte> Anonymous(MachineView m)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("system_id", m.SystemId);
            w.WriteString("hostname", m.Hostname);
            WriteDomain(w, m);
            w.WriteString("fqdn", Fqdn(m));
            w.WriteString("architecture", m.Architecture);
            w.WriteNumber("status", m.Status);
            w.WriteString("power_type", m.PowerType);
            w.WriteString("power_state", m.PowerState);
            WriteZone(w, m);
            w.WriteString("status_action", m.StatusAction);
            w.WriteString("status_message", m.StatusMessage);
            w.WriteString("status_name", NodeStatusInfo.Label((NodeStatus)m.Status));
            w.WriteNumber("node_type", m.NodeType);
            w.WriteString("resource_uri", ResourceUri(m));
            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public static string ResourceUri(MachineView m) => m.NodeType switch
    {
        (int)NodeType.DEVICE => $"{ApiPrefix}devices/{m.SystemId}/",
        (int)NodeType.RACK_CONTROLLER => $"{ApiPrefix}rackcontrollers/{m.SystemId}/",
        (int)NodeType.REGION_CONTROLLER or (int)NodeType.REGION_AND_RACK_CONTROLLER => $"{ApiPrefix}regioncontrollers/{m.SystemId}/",
        _ => $"{ApiPrefix}machines/{m.SystemId}/",
    };

    private static string Fqdn(MachineView m) => $"{m.Hostname}.{m.DomainName}";

    private static void Write(Utf8JsonWriter w, MachineView m, ConstraintsByTypeWriter? constraints)
    {
        var status = (NodeStatus)m.Status;
        w.WriteStartObject();
        w.WriteString("system_id", m.SystemId);
        w.WriteString("hostname", m.Hostname);
        w.WriteString("description", m.Description);
        w.WriteString("hardware_uuid", m.HardwareUuid);
        WriteDomain(w, m);
        w.WriteString("fqdn", Fqdn(m));
        w.WriteString("owner", m.OwnerName);
        w.WritePropertyName("owner_data");
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WritePropertyName("workload_annotations");
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WriteBoolean("locked", m.Locked);
        foreach (var name in (ReadOnlySpan<string>)["cache_sets", "bcaches", "volume_groups", "raids", "special_filesystems", "virtualblockdevice_set"])
        {
            w.WriteStartArray(name);
            w.WriteEndArray();
        }

        w.WriteString("bios_boot_method", m.BiosBootMethod);
        w.WritePropertyName("boot_interface");
        if (m.Interfaces.Count > 0)
            WriteInterface(w, m, m.Interfaces[0]);
        else
            w.WriteNullValue();
        w.WriteString("architecture", m.Architecture);
        w.WriteString("min_hwe_kernel", m.MinHweKernel);
        w.WriteString("hwe_kernel", m.HweKernel);
        w.WriteNumber("cpu_count", m.CpuCount);
        w.WriteNumber("cpu_speed", m.CpuSpeed);
        w.WriteNumber("memory", m.Memory);
        WriteNullableNumber(w, "swap_size", m.SwapSize);
        w.WriteNumber("storage", m.BlockDevices.Where(d => d.Type == "physical").Sum(d => d.Size / 1000.0 / 1000.0));
        w.WriteNumber("status", m.Status);
        w.WriteString("status_name", NodeStatusInfo.Label(status));
        w.WriteString("status_message", m.StatusMessage);
        w.WriteString("status_action", m.StatusAction);
        w.WriteString("osystem", m.Osystem);
        w.WriteString("distro_series", m.DistroSeries);
        w.WriteBoolean("ephemeral_deploy", m.EphemeralDeploy);
        w.WriteString("error_description", m.ErrorDescription);
        w.WriteBoolean("netboot", m.Netboot);
        w.WriteString("power_type", m.PowerType);
        w.WriteString("power_state", m.PowerState);
        w.WriteStartArray("tag_names");
        foreach (var tag in m.TagNames)
            w.WriteStringValue(tag);
        w.WriteEndArray();
        WriteNullableNumber(w, "address_ttl", m.AddressTtl);
        w.WriteStartArray("ip_addresses");
        w.WriteEndArray();
        w.WriteStartArray("interface_set");
        foreach (var nic in m.Interfaces)
            WriteInterface(w, m, nic);
        w.WriteEndArray();
        WriteZone(w, m);
        w.WritePropertyName("pool");
        if (m.PoolId is { } poolId)
        {
            w.WriteStartObject();
            w.WriteString("name", m.PoolName);
            w.WriteString("description", m.PoolDescription);
            w.WriteNumber("id", poolId);
            w.WriteString("resource_uri", $"{ApiPrefix}resourcepool/{poolId}/");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteBoolean("disable_ipv4", m.DisableIpv4);
        var bootDisk = m.BlockDevices.FirstOrDefault(d => d.IsBootDisk) ?? m.BlockDevices.FirstOrDefault(d => d.Type == "physical");
        w.WritePropertyName("boot_disk");
        if (bootDisk is null)
            w.WriteNullValue();
        else
            WriteBlockDevice(w, m, bootDisk);
        w.WriteStartArray("blockdevice_set");
        foreach (var disk in m.BlockDevices)
            WriteBlockDevice(w, m, disk);
        w.WriteEndArray();
        w.WriteStartArray("physicalblockdevice_set");
        foreach (var disk in m.BlockDevices.Where(d => d.Type == "physical"))
            WriteBlockDevice(w, m, disk);
        w.WriteEndArray();
        w.WriteNumber("node_type", m.NodeType);
        w.WriteString("node_type_name", NodeTypeName(m.NodeType));
        w.WritePropertyName("parent");
        if (m.ParentSystemId is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("system_id", m.ParentSystemId);
            w.WriteString("resource_uri", $"{ApiPrefix}nodes/{m.ParentSystemId}/");
            w.WriteBoolean("__incomplete__", true);
            w.WriteEndObject();
        }

        w.WriteStartObject("default_gateways");
        foreach (var family in (ReadOnlySpan<string>)["ipv4", "ipv6"])
        {
            w.WriteStartObject(family);
            w.WriteNull("gateway_ip");
            w.WriteNull("link_id");
            w.WriteEndObject();
        }

        w.WriteEndObject();
        WriteNullableNumber(w, "current_commissioning_result_id", m.CurrentCommissioningResultId);
        WriteNullableNumber(w, "current_testing_result_id", m.CurrentTestingResultId);
        WriteNullableNumber(w, "current_installation_result_id", m.CurrentInstallationResultId);
        foreach (var field in TestStatusFields)
        {
            // Script results arrive with commissioning (a later capability): until then, "no results".
            w.WriteNumber(field, -1);
            w.WriteString(field + "_name", "Unknown");
        }

        WriteHardwareInfo(w, m.HardwareInfo);
        w.WriteStartArray("numanode_set");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartArray("cores");
        for (var core = 0; core < m.CpuCount; core++)
            w.WriteNumberValue(core);
        w.WriteEndArray();
        w.WriteNumber("memory", m.Memory);
        w.WriteStartArray("hugepages_set");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteNull("last_sync");
        w.WriteNull("next_sync");
        w.WriteNull("sync_interval");
        w.WriteBoolean("enable_hw_sync", m.EnableHwSync);
        w.WriteBoolean("enable_kernel_crash_dump", m.EnableKernelCrashDump);
        w.WriteBoolean("is_dpu", m.IsDpu);
        constraints?.Write(w);
        w.WriteString("resource_uri", ResourceUri(m));
        w.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter w, MachineView m)
    {
        w.WriteStartObject("domain");
        w.WriteBoolean("authoritative", m.DomainAuthoritative);
        WriteNullableNumber(w, "ttl", m.DomainTtl);
        w.WriteBoolean("is_default", m.DomainIsDefault);
        w.WriteNumber("resource_record_count", 0);
        w.WriteNumber("id", m.DomainId);
        w.WriteString("name", m.DomainName);
        w.WriteString("resource_uri", $"{ApiPrefix}domains/{m.DomainId}/");
        w.WriteEndObject();
    }

    private static void WriteZone(Utf8JsonWriter w, MachineView m)
    {
        w.WriteStartObject("zone");
        w.WriteString("name", m.ZoneName);
        w.WriteString("description", m.ZoneDescription);
        w.WriteNumber("id", m.ZoneId);
        w.WriteString("resource_uri", $"{ApiPrefix}zones/{m.ZoneName}/");
        w.WriteEndObject();
    }

    private static void WriteInterface(Utf8JsonWriter w, MachineView m, InterfaceView nic)
    {
        w.WriteStartObject();
        w.WriteString("system_id", m.SystemId);
        w.WriteNumber("id", nic.Id);
        w.WriteString("name", nic.Name);
        w.WriteString("type", nic.Type);
        w.WriteNull("vlan");
        w.WriteString("mac_address", nic.MacAddress);
        w.WriteStartArray("parents");
        w.WriteEndArray();
        w.WriteStartArray("children");
        w.WriteEndArray();
        WriteStrings(w, "tags", nic.Tags);
        w.WriteBoolean("enabled", nic.Enabled);
        w.WriteStartArray("links");
        w.WriteEndArray();
        w.WriteString("params", "");
        w.WriteNull("discovered");
        w.WriteNumber("effective_mtu", nic.Mtu ?? 1500);
        w.WriteString("vendor", nic.Vendor);
        w.WriteString("product", nic.Product);
        w.WriteString("firmware_version", nic.FirmwareVersion);
        w.WriteBoolean("link_connected", nic.LinkConnected);
        w.WriteNumber("interface_speed", nic.InterfaceSpeed);
        w.WriteNumber("link_speed", nic.LinkSpeed);
        w.WriteNumber("numa_node", nic.NumaNode);
        w.WriteNumber("sriov_max_vf", nic.SriovMaxVf);
        w.WriteString("resource_uri", $"{ApiPrefix}nodes/{m.SystemId}/interfaces/{nic.Id}/");
        w.WriteEndObject();
    }

    private static void WriteBlockDevice(Utf8JsonWriter w, MachineView m, BlockDeviceView disk)
    {
        var used = disk.Partitions.Sum(p => p.Size);
        w.WriteStartObject();
        w.WriteString("system_id", m.SystemId);
        w.WriteNumber("id", disk.Id);
        w.WriteString("name", disk.Name);
        w.WriteString("uuid", disk.Uuid);
        w.WriteString("type", disk.Type);
        w.WriteString("path", $"/dev/disk/by-dname/{disk.Name}");
        w.WriteString("model", disk.Model);
        w.WriteString("serial", disk.Serial);
        w.WriteString("id_path", disk.IdPath);
        w.WriteNumber("size", disk.Size);
        w.WriteNumber("block_size", disk.BlockSize);
        w.WriteNumber("available_size", disk.Size - used);
        w.WriteNumber("used_size", used);
        w.WriteString("used_for", disk.Partitions.Count > 0 ? $"{disk.Partitions.Count} partition(s)" : "Unused");
        WriteStrings(w, "tags", disk.Tags);
        w.WriteNull("filesystem");
        if (disk.Partitions.Count > 0)
            w.WriteString("partition_table_type", "GPT");
        else
            w.WriteNull("partition_table_type");
        w.WriteStartArray("partitions");
        foreach (var part in disk.Partitions)
        {
            w.WriteStartObject();
            w.WriteString("system_id", m.SystemId);
            w.WriteNumber("device_id", disk.Id);
            w.WriteNumber("id", part.Id);
            w.WriteString("uuid", part.Uuid);
            w.WriteString("path", $"/dev/disk/by-dname/{disk.Name}-part{part.Number}");
            w.WriteString("type", "partition");
            w.WriteNumber("size", part.Size);
            w.WriteBoolean("bootable", part.Bootable);
            w.WriteNull("filesystem");
            w.WriteString("used_for", "Unused");
            WriteStrings(w, "tags", part.Tags);
            w.WriteString("resource_uri", $"{ApiPrefix}nodes/{m.SystemId}/blockdevices/{disk.Id}/partition/{part.Id}");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("firmware_version", disk.FirmwareVersion);
        w.WriteNull("storage_pool");
        w.WriteNumber("numa_node", disk.NumaNode);
        w.WriteString("resource_uri", $"{ApiPrefix}nodes/{m.SystemId}/blockdevices/{disk.Id}/");
        w.WriteEndObject();
    }

    private static void WriteHardwareInfo(Utf8JsonWriter w, string storedJson)
    {
        using var stored = JsonDocument.Parse(storedJson);
        w.WriteStartObject("hardware_info");
        foreach (var key in HardwareInfoKeys)
        {
            var value = stored.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "Unknown";
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    public static string NodeTypeName(int nodeType) => nodeType switch
    {
        (int)NodeType.MACHINE => "Machine",
        (int)NodeType.DEVICE => "Device",
        (int)NodeType.RACK_CONTROLLER => "Rack controller",
        (int)NodeType.REGION_CONTROLLER => "Region controller",
        (int)NodeType.REGION_AND_RACK_CONTROLLER => "Region and rack controller",
        _ => "Unknown",
    };
}

/// <summary>Writes the allocate response's <c>constraints_by_type</c> member.</summary>
internal delegate void ConstraintsByTypeWriterAction(Utf8JsonWriter writer);

internal sealed class ConstraintsByTypeWriter(ConstraintsByTypeWriterAction write)
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WritePropertyName("constraints_by_type");
        write(writer);
    }
}
