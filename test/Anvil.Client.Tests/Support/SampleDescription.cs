using System.Text.Json;
using System.Text.Json.Nodes;

namespace Anvil.Client.Support;

/// <summary>A small describe/ document shaped exactly as maas-api.md Appendix A.1.</summary>
public static class SampleDescription
{
    public static string Build(Uri origin, string hash)
    {
        JsonObject Handler(string name, string doc, string path, string[] parameters, params JsonObject[] actions) => new()
        {
            ["actions"] = new JsonArray([.. actions.OrderBy(a => (string)a["name"]!)]),
            ["doc"] = doc,
            ["name"] = name,
            ["params"] = new JsonArray([.. parameters.Select(p => JsonValue.Create(p))]),
            ["path"] = path,
            ["uri"] = new Uri(origin, path).ToString(),
        };

        var machine = Handler(
            "MachineHandler",
            "Manage an individual machine.\n\nA machine is identified by its system_id.",
            "/MAAS/api/2.0/machines/{system_id}/",
            ["system_id"],
            Action("delete", "DELETE", null, "Delete a machine.\n\nDeletes a machine with the given system_id.\n\n:param force: Optional. Force deletion.\n:type force: Boolean\n"),
            Action("deploy", "POST", "deploy", "Deploy a machine.\n\nDeploys an operating system to a given machine.\n\n:param distro_series: Optional. The OS release to deploy.\n:type distro_series: String\n\n:param user_data: Optional. Base64-encoded user data.\n:type user_data: String\n"),
            Action("power_parameters", "GET", "power_parameters", "Get power parameters.\n\nGets power parameters for a given system_id."),
            Action("read", "GET", null, "Read a node.\n\nReads a node with the given system_id."),
            Action("set_storage_layout", "POST", "set_storage_layout", "Change storage layout.\n\nChanges the storage layout on machine.\n\n:param storage_layout: Required. Storage layout.\n:type storage_layout: String\n"),
            Action("update", "PUT", null, "Update a machine.\n\nUpdates a machine with the given system_id.\n\n:param hostname: Optional. The new hostname.\n:type hostname: String\n"));
        var anonMachines = Handler(
            "AnonMachinesHandler",
            "Anonymous access to machines.",
            "/MAAS/api/2.0/machines/",
            [],
            Action("create", "POST", null, "Create a new machine.\n\nAdds a new machine to MAAS.\n\n:param architecture: Required. The architecture.\n:type architecture: String\n"),
            Action("is_registered", "GET", "is_registered", "MAC address registered.\n\nReturns whether a MAC address is registered.\n\n:param mac_address: Required. The MAC.\n:type mac_address: String\n"));
        var machines = Handler(
            "MachinesHandler",
            "Manage the collection of all the machines in the MAAS.",
            "/MAAS/api/2.0/machines/",
            [],
            Action("allocate", "POST", "allocate", "Allocate a machine.\n\nAllocates an available machine for deployment.\n\n:param tags: Optional. Tags the machine must match.\n:type tags: String\n\n:param name: Optional. Hostname of the desired machine.\n:type name: String\n"),
            Action("create", "POST", null, "Create a new machine.\n\nAdds a new machine to MAAS.\n\n:param architecture: Required. The architecture.\n:type architecture: String\n\n:param mac_addresses: Required. MAC addresses.\n:type mac_addresses: String\n"),
            Action("is_registered", "GET", "is_registered", "MAC address registered.\n\nReturns whether a MAC address is registered.\n\n:param mac_address: Required. The MAC.\n:type mac_address: String\n"),
            Action("read", "GET", null, "List Nodes visible to the user.\n\nList nodes visible to current user, optionally filtered by criteria.\n\n:param hostname: Optional. Only nodes relating to the node with the matching hostname will be returned.\n:type hostname: String\n"),
            Action("release", "POST", "release", "Release machines.\n\nReleases multiple machines.\n\n:param machines: Required. A list of system_ids.\n:type machines: String\n"));
        var maas = Handler(
            "MaasHandler",
            "Manage the MAAS server.",
            "/MAAS/api/2.0/maas/",
            [],
            Action("get_config", "GET", "get_config", "Get a configuration value.\n\nGet a configuration value.\n\n:param name: Required. The name of the configuration item.\n:type name: String\n"),
            Action("set_config", "POST", "set_config", "Set a configuration value.\n\nSet a configuration value.\n\n:param name: Required. The name.\n:type name: String\n\n:param value: Required. The value.\n:type value: String\n"));
        var vlan = Handler(
            "VlanHandler",
            "Manage a VLAN on a fabric.",
            "/MAAS/api/2.0/fabrics/{fabric_id}/vlans/{vid}/",
            ["fabric_id", "vid"],
            Action("delete", "DELETE", null, "Delete a VLAN.\n\nDelete VLAN on a given fabric."),
            Action("read", "GET", null, "Retrieve VLAN.\n\nRetrieves a VLAN on a given fabric_id."),
            Action("update", "PUT", null, "Update VLAN.\n\nUpdates a given VLAN.\n\n:param dhcp_on: Optional. Whether DHCP is on.\n:type dhcp_on: Boolean\n\n:param primary_rack: Optional. The primary rack.\n:type primary_rack: String\n"));
        var records = Handler(
            "DNSResourceRecordsHandler",
            "Manage DNS resource records (e.g. CNAME, MX, NS, SRV, TXT)",
            "/MAAS/api/2.0/dnsresourcerecords/",
            [],
            Action("read", "GET", null, "List all DNS resource records.\n\nList all DNS resource records.\n\n:param domain: Optional. Restricts the listing to entries for the domain.\n:type domain: String\n"));
        var files = Handler(
            "FilesHandler",
            "Manage the collection of all the files in this MAAS.",
            "/MAAS/api/2.0/files/",
            [],
            Action("create", "POST", null, "Add a new file.\n\nAdd a new file to the file storage.\n\n:param filename: Required. The file name.\n:type filename: String\n\n:param file: Required. File data.\n:type file: String\n"));
        var users = Handler(
            "UsersHandler",
            "Manage the user accounts of this MAAS.",
            "/MAAS/api/2.0/users/",
            [],
            Action("read", "GET", null, "List users.\n\nList users."),
            Action("whoami", "GET", "whoami", "Retrieve logged-in user.\n\nReturns the currently logged-in user."));
        var version = Handler(
            "VersionHandler",
            "Information about this MAAS instance.",
            "/MAAS/api/2.0/version/",
            [],
            Action("read", "GET", null, "MAAS version information.\n\nGet version and capabilities of this MAAS instance."));

        JsonObject Resource(string name, JsonObject? anon, JsonObject? auth) => new()
        {
            ["anon"] = anon?.DeepClone(),
            ["auth"] = auth?.DeepClone(),
            ["name"] = name,
        };

        var resources = new JsonArray(
            Resource("DNSResourceRecordsHandler", null, records),
            Resource("FilesHandler", null, files),
            Resource("MaasHandler", null, maas),
            Resource("MachineHandler", null, machine),
            Resource("MachinesHandler", anonMachines, machines),
            Resource("UsersHandler", null, users),
            Resource("VersionHandler", version, null),
            Resource("VlanHandler", null, vlan));
        JsonObject[] anonHandlers = [anonMachines, version];
        JsonObject[] authHandlers = [records, files, maas, machine, machines, users, vlan];
        var document = new JsonObject
        {
            ["doc"] = "MAAS API",
            ["handlers"] = new JsonArray([.. anonHandlers.Concat(authHandlers).Select(h => h.DeepClone())]),
            ["hash"] = hash,
            ["resources"] = resources,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonObject Action(string name, string method, string? op, string doc) => new()
    {
        ["doc"] = doc,
        ["method"] = method,
        ["name"] = name,
        ["op"] = op,
        ["restful"] = op is null,
    };
}
