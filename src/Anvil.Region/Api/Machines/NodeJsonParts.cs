using System.Text.Json;
using Anvil.Data.Machines;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// The pieces every node object repeats (domain, zone, interfaces), shared by the machine and
/// device renderers so both write them byte for byte the same.
/// </summary>
internal static class NodeJsonParts
{
    public const string ApiPrefix = "/MAAS/api/2.0/";

    public static void WriteDomain(Utf8JsonWriter w, MachineView m)
    {
        w.WriteStartObject("domain"u8);
        w.WriteBoolean("authoritative"u8, m.DomainAuthoritative);
        WriteNullableNumber(w, "ttl"u8, m.DomainTtl);
        w.WriteBoolean("is_default"u8, m.DomainIsDefault);
        w.WriteNumber("resource_record_count"u8, 0);
        w.WriteNumber("id"u8, m.DomainId);
        w.WriteString("name"u8, m.DomainName);
        w.WriteString("resource_uri"u8, $"{ApiPrefix}domains/{m.DomainId}/");
        w.WriteEndObject();
    }

    public static void WriteZone(Utf8JsonWriter w, MachineView m)
    {
        w.WriteStartObject("zone"u8);
        w.WriteString("name"u8, m.ZoneName);
        w.WriteString("description"u8, m.ZoneDescription);
        w.WriteNumber("id"u8, m.ZoneId);
        w.WriteString("resource_uri"u8, $"{ApiPrefix}zones/{m.ZoneName}/");
        w.WriteEndObject();
    }

    public static void WriteInterface(Utf8JsonWriter w, MachineView m, InterfaceView nic)
    {
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteNumber("id"u8, nic.Id);
        w.WriteString("name"u8, nic.Name);
        w.WriteString("type"u8, nic.Type);
        w.WriteNull("vlan"u8);
        w.WriteString("mac_address"u8, nic.MacAddress);
        w.WriteStartArray("parents"u8);
        w.WriteEndArray();
        w.WriteStartArray("children"u8);
        w.WriteEndArray();
        WriteStrings(w, "tags"u8, nic.Tags);
        w.WriteBoolean("enabled"u8, nic.Enabled);
        w.WriteStartArray("links"u8);
        w.WriteEndArray();
        w.WriteString("params"u8, "");
        w.WriteNull("discovered"u8);
        w.WriteNumber("effective_mtu"u8, nic.Mtu ?? 1500);
        w.WriteString("vendor"u8, nic.Vendor);
        w.WriteString("product"u8, nic.Product);
        w.WriteString("firmware_version"u8, nic.FirmwareVersion);
        w.WriteBoolean("link_connected"u8, nic.LinkConnected);
        w.WriteNumber("interface_speed"u8, nic.InterfaceSpeed);
        w.WriteNumber("link_speed"u8, nic.LinkSpeed);
        w.WriteNumber("numa_node"u8, nic.NumaNode);
        w.WriteNumber("sriov_max_vf"u8, nic.SriovMaxVf);
        w.WriteString("resource_uri"u8, $"{ApiPrefix}nodes/{m.SystemId}/interfaces/{nic.Id}/");
        w.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }

    public static void WriteNullableNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }
}
