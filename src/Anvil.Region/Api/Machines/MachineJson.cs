using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Api.Storage;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Writes machine objects exactly as MAAS renders them (every field of maas-api.md §4, with the
/// right JSON types), straight to UTF-8 so that listing ten thousand machines stays fast.
/// </summary>
internal static class MachineJson
{
    private const string ApiPrefix = "/MAAS/api/2.0/";
    private const int StreamChunkBytes = 32 * 1024;

    // The writers' own checks are redundant here (the structure is fixed by this code) and cost
    // time on every token; escaping, and so the bytes written, are the same.
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    // A view read without its storage model (never from MachineStore) renders these present and empty.
    private static readonly JsonEncodedText[] AlwaysEmptySets =
    [
        .. ((string[])["cache_sets", "bcaches", "volume_groups", "raids", "special_filesystems", "virtualblockdevice_set"]).Select(n => JsonEncodedText.Encode(n)),
    ];

    private static readonly (string Key, JsonEncodedText Name)[] HardwareInfoKeys =
    [
        .. ((string[])
        [
            "system_vendor", "system_product", "system_family", "system_version", "system_sku", "system_serial", "cpu_model",
            "mainboard_vendor", "mainboard_product", "mainboard_serial", "mainboard_version", "mainboard_firmware_vendor",
            "mainboard_firmware_date", "mainboard_firmware_version", "chassis_vendor", "chassis_type", "chassis_serial", "chassis_version",
        ]).Select(k => (k, JsonEncodedText.Encode(k))),
    ];

    private static readonly (JsonEncodedText Status, JsonEncodedText Name)[] TestStatusFields =
    [
        .. ((string[])
        [
            "commissioning_status", "testing_status", "cpu_test_status", "memory_test_status", "network_test_status",
            "storage_test_status", "other_test_status", "interface_test_status",
        ]).Select(f => (JsonEncodedText.Encode(f), JsonEncodedText.Encode(f + "_name"))),
    ];

    public static ReadOnlyMemory<byte> One(MachineView machine, ConstraintsByTypeWriter? constraints = null)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer, Options))
        using (var parts = new RenderedParts())
            Write(w, parts, machine, constraints);
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// Streams a listing into <paramref name="output"/> (the response body) a few tens of kilobytes
    /// at a time, so sending overlaps rendering and a large listing is never held in memory whole.
    /// The bytes are exactly those of <see cref="Many"/>.
    /// </summary>
    public static async Task WriteManyAsync(IEnumerable<MachineView> machines, PipeWriter output, CancellationToken ct)
    {
        await using var w = new Utf8JsonWriter(output, Options);
        using var parts = new RenderedParts();
        w.WriteStartArray();
        foreach (var machine in machines)
        {
            Write(w, parts, machine, null);
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
        using (var w = new Utf8JsonWriter(buffer, Options))
        using (var parts = new RenderedParts())
        {
            w.WriteStartArray();
            foreach (var machine in machines)
                Write(w, parts, machine, null);
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
            w.WriteString("system_id"u8, m.SystemId);
            w.WriteString("hostname"u8, m.Hostname);
            NodeJsonParts.WriteDomain(w, m);
            w.WriteString("fqdn"u8, Fqdn(m));
            w.WriteString("architecture"u8, m.Architecture);
            w.WriteNumber("status"u8, m.Status);
            w.WriteString("power_type"u8, m.PowerType);
            w.WriteString("power_state"u8, m.PowerState);
            NodeJsonParts.WriteZone(w, m);
            w.WriteString("status_action"u8, m.StatusAction);
            w.WriteString("status_message"u8, m.StatusMessage);
            w.WriteString("status_name"u8, NodeStatusInfo.Label((NodeStatus)m.Status));
            w.WriteNumber("node_type"u8, m.NodeType);
            w.WriteString("resource_uri"u8, ResourceUri(m));
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

    private static void Write(Utf8JsonWriter w, RenderedParts parts, MachineView m, ConstraintsByTypeWriter? constraints)
    {
        var status = (NodeStatus)m.Status;
        parts.Render(m);
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteString("hostname"u8, m.Hostname);
        w.WriteString("description"u8, m.Description);
        w.WriteString("hardware_uuid"u8, m.HardwareUuid);
        NodeJsonParts.WriteDomain(w, m);
        w.WriteString("fqdn"u8, Fqdn(m));
        w.WriteString("owner"u8, m.OwnerName);
        w.WritePropertyName("owner_data"u8);
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WritePropertyName("workload_annotations"u8);
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WriteBoolean("locked"u8, m.Locked);
        if (m.Storage is { } storage)
        {
            MachineStorageJson.WriteGroups(w, storage);
        }
        else
        {
            foreach (var name in AlwaysEmptySets)
            {
                w.WriteStartArray(name);
                w.WriteEndArray();
            }
        }

        w.WriteString("bios_boot_method"u8, m.BiosBootMethod);
        w.WritePropertyName("boot_interface"u8);
        if (m.Interfaces.Count > 0)
            w.WriteRawValue(parts.Interface(BootInterfaceIndex(m)), skipInputValidation: true);
        else
            w.WriteNullValue();
        w.WriteString("architecture"u8, m.Architecture);
        w.WriteString("min_hwe_kernel"u8, m.MinHweKernel);
        w.WriteString("hwe_kernel"u8, m.HweKernel);
        w.WriteNumber("cpu_count"u8, m.CpuCount);
        w.WriteNumber("cpu_speed"u8, m.CpuSpeed);
        w.WriteNumber("memory"u8, m.Memory);
        NodeJsonParts.WriteNullableNumber(w, "swap_size"u8, m.SwapSize);
        w.WriteNumber("storage"u8, m.BlockDevices.Where(d => d.Type == "physical").Sum(d => d.Size / 1000.0 / 1000.0));
        w.WriteNumber("status"u8, m.Status);
        w.WriteString("status_name"u8, NodeStatusInfo.Label(status));
        w.WriteString("status_message"u8, m.StatusMessage);
        w.WriteString("status_action"u8, m.StatusAction);
        w.WriteString("osystem"u8, m.Osystem);
        w.WriteString("distro_series"u8, m.DistroSeries);
        w.WriteBoolean("ephemeral_deploy"u8, m.EphemeralDeploy);
        w.WriteString("error_description"u8, m.ErrorDescription);
        w.WriteBoolean("netboot"u8, m.Netboot);
        w.WriteString("power_type"u8, m.PowerType);
        w.WriteString("power_state"u8, m.PowerState);
        w.WriteStartArray("tag_names"u8);
        foreach (var tag in m.TagNames)
            w.WriteStringValue(tag);
        w.WriteEndArray();
        NodeJsonParts.WriteNullableNumber(w, "address_ttl"u8, m.AddressTtl);
        NodeJsonParts.WriteStrings(w, "ip_addresses"u8, InterfaceLinks.MachineAddresses(m));
        w.WriteStartArray("interface_set"u8);
        for (var i = 0; i < m.Interfaces.Count; i++)
            w.WriteRawValue(parts.Interface(i), skipInputValidation: true);
        w.WriteEndArray();
        NodeJsonParts.WriteZone(w, m);
        w.WritePropertyName("pool"u8);
        if (m.PoolId is { } poolId)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, m.PoolName);
            w.WriteString("description"u8, m.PoolDescription);
            w.WriteNumber("id"u8, poolId);
            w.WriteString("resource_uri"u8, $"{ApiPrefix}resourcepool/{poolId}/");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteBoolean("disable_ipv4"u8, m.DisableIpv4);
        if (m.Storage is not null)
            MachineStorageJson.WriteDevices(w, m.Storage);
        else
            WriteBlockDevices(w, parts, m);
        w.WriteNumber("node_type"u8, m.NodeType);
        w.WriteString("node_type_name"u8, NodeTypeName(m.NodeType));
        w.WritePropertyName("parent"u8);
        if (m.ParentSystemId is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("system_id"u8, m.ParentSystemId);
            w.WriteString("resource_uri"u8, $"{ApiPrefix}nodes/{m.ParentSystemId}/");
            w.WriteBoolean("__incomplete__"u8, true);
            w.WriteEndObject();
        }

        WriteDefaultGateways(w, m);
        NodeJsonParts.WriteNullableNumber(w, "current_commissioning_result_id"u8, m.CurrentCommissioningResultId);
        NodeJsonParts.WriteNullableNumber(w, "current_testing_result_id"u8, m.CurrentTestingResultId);
        NodeJsonParts.WriteNullableNumber(w, "current_installation_result_id"u8, m.CurrentInstallationResultId);
        var statuses = NodeScriptStatuses.Of(m.ScriptResults);
        ReadOnlySpan<int> values = [statuses.Commissioning, statuses.Testing, statuses.Cpu, statuses.Memory, statuses.Network, statuses.Storage, statuses.Other, statuses.Interface];
        for (var i = 0; i < TestStatusFields.Length; i++)
        {
            w.WriteNumber(TestStatusFields[i].Status, values[i]);
            w.WriteString(TestStatusFields[i].Name, ScriptMetadataConversions.Label((ScriptStatus)values[i]));
        }

        WriteHardwareInfo(w, m.HardwareInfo);
        w.WriteStartArray("numanode_set"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WriteStartArray("cores"u8);
        for (var core = 0; core < m.CpuCount; core++)
            w.WriteNumberValue(core);
        w.WriteEndArray();
        w.WriteNumber("memory"u8, m.Memory);
        w.WriteStartArray("hugepages_set"u8);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteNull("last_sync"u8);
        w.WriteNull("next_sync"u8);
        w.WriteNull("sync_interval"u8);
        w.WriteBoolean("enable_hw_sync"u8, m.EnableHwSync);
        w.WriteBoolean("enable_kernel_crash_dump"u8, m.EnableKernelCrashDump);
        w.WriteBoolean("is_dpu"u8, m.IsDpu);
        constraints?.Write(w);
        w.WriteString("resource_uri"u8, ResourceUri(m));
        w.WriteEndObject();
    }

    private static void WriteBlockDevices(Utf8JsonWriter w, RenderedParts parts, MachineView m)
    {
        var bootDisk = m.BlockDevices.FindIndex(d => d.IsBootDisk) is var boot and >= 0 ? boot : m.BlockDevices.FindIndex(d => d.Type == "physical");
        w.WritePropertyName("boot_disk"u8);
        if (bootDisk < 0)
            w.WriteNullValue();
        else
            w.WriteRawValue(parts.Disk(bootDisk), skipInputValidation: true);
        w.WriteStartArray("blockdevice_set"u8);
        for (var i = 0; i < m.BlockDevices.Count; i++)
            w.WriteRawValue(parts.Disk(i), skipInputValidation: true);
        w.WriteEndArray();
        w.WriteStartArray("physicalblockdevice_set"u8);
        for (var i = 0; i < m.BlockDevices.Count; i++)
        {
            if (m.BlockDevices[i].Type == "physical")
                w.WriteRawValue(parts.Disk(i), skipInputValidation: true);
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// A machine's NICs and disks, each rendered once: MAAS repeats them (boot_interface,
    /// boot_disk, physicalblockdevice_set), and copying rendered bytes is far cheaper than
    /// rendering again. One instance serves a whole listing.
    /// </summary>
    private sealed class RenderedParts : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4 * 1024);
        private readonly Utf8JsonWriter _writer;
        private readonly List<Range> _interfaces = [];
        private readonly List<Range> _disks = [];
        private readonly NetworkJsonCache _network = new();

        public RenderedParts() => _writer = new Utf8JsonWriter(_buffer, Options);

        public void Render(MachineView m)
        {
            _buffer.ResetWrittenCount();
            _interfaces.Clear();
            _disks.Clear();
            foreach (var nic in m.Interfaces)
            {
                var start = Begin();
                InterfaceJson.Write(_writer, m, nic, _network);
                _interfaces.Add(End(start));
            }

            // With a storage model the disks are rendered from it instead.
            foreach (var disk in m.Storage is null ? m.BlockDevices : [])
            {
                var start = Begin();
                WriteBlockDevice(_writer, m, disk);
                _disks.Add(End(start));
            }
        }

        public ReadOnlySpan<byte> Interface(int index) => _buffer.WrittenSpan[_interfaces[index]];

        public ReadOnlySpan<byte> Disk(int index) => _buffer.WrittenSpan[_disks[index]];

        public void Dispose() => _writer.Dispose();

        private int Begin()
        {
            // Each part is its own top-level value, so the writer starts afresh (no separator).
            _writer.Reset(_buffer);
            return _buffer.WrittenCount;
        }

        private Range End(int start)
        {
            _writer.Flush();
            return start.._buffer.WrittenCount;
        }
    }

    private static void WriteBlockDevice(Utf8JsonWriter w, MachineView m, BlockDeviceView disk)
    {
        var used = disk.Partitions.Sum(p => p.Size);
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteNumber("id"u8, disk.Id);
        w.WriteString("name"u8, disk.Name);
        w.WriteString("uuid"u8, disk.Uuid);
        w.WriteString("type"u8, disk.Type);
        w.WriteString("path"u8, $"/dev/disk/by-dname/{disk.Name}");
        w.WriteString("model"u8, disk.Model);
        w.WriteString("serial"u8, disk.Serial);
        w.WriteString("id_path"u8, disk.IdPath);
        w.WriteNumber("size"u8, disk.Size);
        w.WriteNumber("block_size"u8, disk.BlockSize);
        w.WriteNumber("available_size"u8, disk.Size - used);
        w.WriteNumber("used_size"u8, used);
        w.WriteString("used_for"u8, disk.Partitions.Count > 0 ? $"{disk.Partitions.Count} partition(s)" : "Unused");
        NodeJsonParts.WriteStrings(w, "tags"u8, disk.Tags);
        w.WriteNull("filesystem"u8);
        if (disk.Partitions.Count > 0)
            w.WriteString("partition_table_type"u8, "GPT");
        else
            w.WriteNull("partition_table_type"u8);
        w.WriteStartArray("partitions"u8);
        foreach (var part in disk.Partitions)
        {
            w.WriteStartObject();
            w.WriteString("system_id"u8, m.SystemId);
            w.WriteNumber("device_id"u8, disk.Id);
            w.WriteNumber("id"u8, part.Id);
            w.WriteString("uuid"u8, part.Uuid);
            w.WriteString("path"u8, $"/dev/disk/by-dname/{disk.Name}-part{part.Number}");
            w.WriteString("type"u8, "partition");
            w.WriteNumber("size"u8, part.Size);
            w.WriteBoolean("bootable"u8, part.Bootable);
            w.WriteNull("filesystem"u8);
            w.WriteString("used_for"u8, "Unused");
            NodeJsonParts.WriteStrings(w, "tags"u8, part.Tags);
            w.WriteString("resource_uri"u8, $"{ApiPrefix}nodes/{m.SystemId}/blockdevices/{disk.Id}/partition/{part.Id}");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("firmware_version"u8, disk.FirmwareVersion);
        w.WriteNull("storage_pool"u8);
        w.WriteNumber("numa_node"u8, disk.NumaNode);
        w.WriteString("resource_uri"u8, $"{ApiPrefix}nodes/{m.SystemId}/blockdevices/{disk.Id}/");
        w.WriteEndObject();
    }

    /// <summary>The machine has never booted through Anvil: its first physical interface, else its first.</summary>
    private static int BootInterfaceIndex(MachineView m) => Math.Max(0, m.Interfaces.FindIndex(i => i.Type == "physical"));

    /// <summary>The links chosen with <c>set_default_gateway</c> (or <c>default_gateway</c>), with their subnets' gateways.</summary>
    private static void WriteDefaultGateways(Utf8JsonWriter w, MachineView m)
    {
        w.WriteStartObject("default_gateways"u8);
        WriteGateway(w, "ipv4"u8, m, m.Interfaces.Select(i => i.DefaultGatewayV4IpId).FirstOrDefault(id => id is not null));
        WriteGateway(w, "ipv6"u8, m, m.Interfaces.Select(i => i.DefaultGatewayV6IpId).FirstOrDefault(id => id is not null));
        w.WriteEndObject();
    }

    private static void WriteGateway(Utf8JsonWriter w, ReadOnlySpan<byte> family, MachineView m, long? linkId)
    {
        var link = linkId is null ? null : m.Interfaces.SelectMany(i => i.Addresses).FirstOrDefault(a => a.Id == linkId);
        var gateway = link?.SubnetId is { } subnetId && m.Network.Subnets.TryGetValue(subnetId, out var subnet) ? subnet.GatewayIp : null;
        w.WriteStartObject(family);
        w.WriteString("gateway_ip"u8, link is null ? null : gateway);
        if (link is null)
            w.WriteNull("link_id"u8);
        else
            w.WriteNumber("link_id"u8, link.Id);
        w.WriteEndObject();
    }

    private static void WriteHardwareInfo(Utf8JsonWriter w, string storedJson)
    {
        using var stored = JsonDocument.Parse(storedJson);
        w.WriteStartObject("hardware_info"u8);
        foreach (var (key, name) in HardwareInfoKeys)
        {
            var value = stored.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "Unknown";
            w.WriteString(name, value);
        }

        w.WriteEndObject();
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
