using System.Text.Json;
using Anvil.Data.Machines;
using Anvil.Region.Api.Interfaces;

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

    /// <summary>An interface object, with its VLAN, links and hierarchy (see <c>InterfaceJson</c>).</summary>
    public static void WriteInterface(Utf8JsonWriter w, MachineView m, InterfaceView nic, NetworkJsonCache network) =>
        InterfaceJson.Write(w, m, nic, network);

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
