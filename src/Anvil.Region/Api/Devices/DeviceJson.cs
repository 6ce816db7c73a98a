using System.Buffers;
using System.Text.Json;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Api.Devices;

/// <summary>Writes device objects with the fields of maas-api.md §3.6, sharing the machine renderer's domain, zone and interface pieces.</summary>
internal static class DeviceJson
{
    public static ReadOnlyMemory<byte> One(DeviceView device)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer))
            Write(w, device, new NetworkJsonCache());
        return buffer.WrittenMemory;
    }

    public static ReadOnlyMemory<byte> Many(IEnumerable<DeviceView> devices)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            var network = new NetworkJsonCache();
            foreach (var device in devices)
                Write(w, device, network);
            w.WriteEndArray();
        }

        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter w, DeviceView device, NetworkJsonCache network)
    {
        var m = device.Node;
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteString("hostname"u8, m.Hostname);
        w.WriteString("description"u8, m.Description);
        NodeJsonParts.WriteDomain(w, m);
        w.WriteString("fqdn"u8, $"{m.Hostname}.{m.DomainName}");
        w.WriteString("owner"u8, m.OwnerName);
        w.WritePropertyName("owner_data"u8);
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WriteString("parent"u8, m.ParentSystemId);
        NodeJsonParts.WriteStrings(w, "tag_names"u8, m.TagNames);
        NodeJsonParts.WriteNullableNumber(w, "address_ttl"u8, m.AddressTtl);
        NodeJsonParts.WriteStrings(w, "ip_addresses"u8, device.IpAddresses);
        w.WriteStartArray("interface_set"u8);
        foreach (var nic in m.Interfaces)
            NodeJsonParts.WriteInterface(w, m, nic, network);
        w.WriteEndArray();
        NodeJsonParts.WriteZone(w, m);
        w.WriteNumber("node_type"u8, m.NodeType);
        w.WriteString("node_type_name"u8, MachineJson.NodeTypeName(m.NodeType));
        w.WritePropertyName("workload_annotations"u8);
        w.WriteRawValue(m.WorkloadAnnotations, skipInputValidation: true);
        w.WriteString("resource_uri"u8, MachineJson.ResourceUri(m));
        w.WriteEndObject();
    }
}
