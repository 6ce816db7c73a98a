using System.Buffers;
using System.Text.Json;
using Anvil.Data.Controllers;
using Anvil.Region.Api.Interfaces;
using Anvil.Region.Api.Machines;

namespace Anvil.Region.Api.Controllers;

/// <summary>
/// Writes rack and region controller objects with the fields of maas-api.md §3.7, sharing the
/// node renderers' domain, zone and interface pieces. A region+rack controller is the same node
/// under both resources; each resource renders it with its own <c>resource_uri</c>, and only the
/// rack resource has <c>service_set</c>.
/// </summary>
internal static class ControllerJson
{
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

    public static string ResourcePath(ControllerRole role) => role == ControllerRole.Rack ? "rackcontrollers" : "regioncontrollers";

    public static ReadOnlyMemory<byte> One(ControllerView controller, ControllerRole role) => Render(w => Write(w, controller, role, new NetworkJsonCache()));

    public static ReadOnlyMemory<byte> Many(IEnumerable<ControllerView> controllers, ControllerRole role) =>
        Render(w =>
        {
            var network = new NetworkJsonCache();
            w.WriteStartArray();
            foreach (var controller in controllers)
                Write(w, controller, role, network);
            w.WriteEndArray();
        });

    private static ReadOnlyMemory<byte> Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
            write(w);
        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter w, ControllerView controller, ControllerRole role, NetworkJsonCache network)
    {
        var m = controller.Node;
        w.WriteStartObject();
        w.WriteString("system_id"u8, m.SystemId);
        w.WriteString("hostname"u8, m.Hostname);
        w.WriteString("description"u8, m.Description);
        w.WriteString("hardware_uuid"u8, m.HardwareUuid);
        NodeJsonParts.WriteDomain(w, m);
        w.WriteString("fqdn"u8, $"{m.Hostname}.{m.DomainName}");
        w.WriteString("architecture"u8, m.Architecture);
        w.WriteNumber("cpu_count"u8, m.CpuCount);
        w.WriteNumber("cpu_speed"u8, m.CpuSpeed);
        w.WriteNumber("memory"u8, m.Memory);
        NodeJsonParts.WriteNullableNumber(w, "swap_size"u8, m.SwapSize);
        w.WriteString("osystem"u8, m.Osystem);
        w.WriteString("distro_series"u8, m.DistroSeries);
        w.WriteString("power_type"u8, m.PowerType);
        w.WriteString("power_state"u8, m.PowerState);
        NodeJsonParts.WriteStrings(w, "ip_addresses"u8, InterfaceLinks.MachineAddresses(m));
        w.WriteStartArray("interface_set"u8);
        foreach (var nic in m.Interfaces)
            NodeJsonParts.WriteInterface(w, m, nic, network);
        w.WriteEndArray();
        NodeJsonParts.WriteZone(w, m);
        w.WriteString("status_action"u8, m.StatusAction);
        w.WriteNumber("node_type"u8, m.NodeType);
        w.WriteString("node_type_name"u8, MachineJson.NodeTypeName(m.NodeType));
        if (role == ControllerRole.Rack)
        {
            w.WriteStartArray("service_set"u8);
            foreach (var service in controller.Services)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, service.Name);
                w.WriteString("status"u8, service.Status);
                w.WriteString("status_info"u8, service.StatusInfo);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        NodeJsonParts.WriteNullableNumber(w, "current_commissioning_result_id"u8, m.CurrentCommissioningResultId);
        NodeJsonParts.WriteNullableNumber(w, "current_testing_result_id"u8, m.CurrentTestingResultId);
        NodeJsonParts.WriteNullableNumber(w, "current_installation_result_id"u8, m.CurrentInstallationResultId);
        w.WriteString("version"u8, controller.Version);
        foreach (var field in TestStatusFields)
        {
            // No script results exist yet: "no results", as machines render it.
            w.WriteNumber(field, -1);
            w.WriteString(field + "_name", "Unknown");
        }

        WriteHardwareInfo(w, m.HardwareInfo);
        NodeJsonParts.WriteStrings(w, "tag_names"u8, m.TagNames);
        w.WriteString("resource_uri"u8, $"{NodeJsonParts.ApiPrefix}{ResourcePath(role)}/{m.SystemId}/");
        w.WriteEndObject();
    }

    private static void WriteHardwareInfo(Utf8JsonWriter w, string storedJson)
    {
        using var stored = JsonDocument.Parse(storedJson);
        w.WriteStartObject("hardware_info"u8);
        foreach (var key in HardwareInfoKeys)
            w.WriteString(key, stored.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "Unknown");
        w.WriteEndObject();
    }
}
