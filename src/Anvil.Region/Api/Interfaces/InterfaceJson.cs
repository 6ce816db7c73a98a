using System.Buffers;
using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Api.Interfaces;

/// <summary>Writes interface objects as MAAS renders them (maas-api.md §3.8), for the interfaces API and machine objects alike.</summary>
internal static class InterfaceJson
{
    private const string ApiPrefix = "/MAAS/api/2.0/";

    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    public static ReadOnlyMemory<byte> One(MachineView m, InterfaceView nic)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, Options))
            Write(w, m, nic, new NetworkJsonCache());
        return buffer.WrittenMemory;
    }

    public static ReadOnlyMemory<byte> Many(MachineView m)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var cache = new NetworkJsonCache();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartArray();
            foreach (var nic in m.Interfaces)
                Write(w, m, nic, cache);
            w.WriteEndArray();
        }

        return buffer.WrittenMemory;
    }

    public static string ResourceUri(string systemId, long id) => $"{ApiPrefix}nodes/{systemId}/interfaces/{id}/";

    public static void Write(Utf8JsonWriter w, MachineView m, InterfaceView nic, NetworkJsonCache cache)
    {
        var network = m.Network;
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteNumber("id"u8, nic.Id);
        w.WriteString("name"u8, nic.Name);
        w.WriteString("type"u8, nic.Type);
        w.WritePropertyName("vlan"u8);
        if (nic.VlanId is { } vlanId && cache.Vlan(network, vlanId) is { } vlanJson)
            w.WriteRawValue(vlanJson, skipInputValidation: true);
        else
            w.WriteNullValue();
        w.WriteString("mac_address"u8, nic.MacAddress);
        NodeJsonParts.WriteStrings(w, "parents"u8, nic.Parents);
        NodeJsonParts.WriteStrings(w, "children"u8, nic.Children);
        NodeJsonParts.WriteStrings(w, "tags"u8, nic.Tags);
        w.WriteBoolean("enabled"u8, nic.Enabled);
        w.WriteStartArray("links"u8);
        foreach (var link in nic.Addresses)
        {
            if (InterfaceLinks.ModeOf(link) is not { } mode)
                continue;
            w.WriteStartObject();
            w.WriteNumber("id"u8, link.Id);
            w.WriteString("mode"u8, mode);
            var ip = mode == InterfaceLinks.Dhcp
                ? InterfaceLinks.Discovered(nic).FirstOrDefault(d => d.SubnetId == link.SubnetId)?.Ip
                : link.Temporary ? null : link.Ip;
            if (ip is not null)
                w.WriteString("ip_address"u8, ip);
            if (link.SubnetId is { } subnetId && cache.Subnet(network, subnetId) is { } subnetJson)
            {
                w.WritePropertyName("subnet"u8);
                w.WriteRawValue(subnetJson, skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteParams(w, nic);
        w.WritePropertyName("discovered"u8);
        var discovered = InterfaceLinks.Discovered(nic).ToList();
        if (discovered.Count == 0)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStartArray();
            foreach (var d in discovered)
            {
                w.WriteStartObject();
                w.WriteString("ip_address"u8, d.Ip);
                if (d.SubnetId is { } subnetId && cache.Subnet(network, subnetId) is { } subnetJson)
                {
                    w.WritePropertyName("subnet"u8);
                    w.WriteRawValue(subnetJson, skipInputValidation: true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteNumber("effective_mtu"u8, EffectiveMtu(m, nic));
        w.WriteString("vendor"u8, nic.Vendor);
        w.WriteString("product"u8, nic.Product);
        w.WriteString("firmware_version"u8, nic.FirmwareVersion);
        w.WriteBoolean("link_connected"u8, nic.LinkConnected);
        w.WriteNumber("interface_speed"u8, nic.InterfaceSpeed);
        w.WriteNumber("link_speed"u8, nic.LinkSpeed);
        w.WriteNumber("numa_node"u8, nic.NumaNode);
        w.WriteNumber("sriov_max_vf"u8, nic.SriovMaxVf);
        w.WriteString("resource_uri"u8, ResourceUri(m.SystemId, nic.Id));
        w.WriteEndObject();
    }

    /// <summary>The interface's own MTU, else its VLAN's, else 1500.</summary>
    public static int EffectiveMtu(MachineView m, InterfaceView nic) =>
        nic.Mtu ?? (nic.VlanId is { } vlanId && m.Network.Vlans.TryGetValue(vlanId, out var vlan) ? vlan.Mtu : 1500);

    /// <summary>MAAS renders the stored parameters (mtu and accept_ra among them) as a dict, or "" when there are none.</summary>
    private static void WriteParams(Utf8JsonWriter w, InterfaceView nic)
    {
        if (nic.Params.Length <= 2 && nic.Mtu is null && nic.AcceptRa is null)
        {
            w.WriteString("params"u8, "");
            return;
        }

        w.WriteStartObject("params"u8);
        using (var stored = JsonDocument.Parse(nic.Params))
        {
            foreach (var p in stored.RootElement.EnumerateObject())
                p.WriteTo(w);
        }

        if (nic.Mtu is { } mtu)
            w.WriteNumber("mtu"u8, mtu);
        if (nic.AcceptRa is { } acceptRa)
            w.WriteBoolean("accept_ra"u8, acceptRa);
        w.WriteEndObject();
    }
}
