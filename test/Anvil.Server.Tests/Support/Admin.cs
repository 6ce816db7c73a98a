using System.Text.Json;
using Anvil.Client;

namespace Anvil.Server.Support;

/// <summary>Setup helpers that talk to anvild through the client library, as an admin would.</summary>
public static class Admin
{
    public static MaasClient Client(AnvildProcess anvild, string? key = null) =>
        new(new Uri(anvild.Url), MaasApiKey.Parse(key ?? anvild.AdminKey));

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static string RandomMac()
    {
        var bytes = new byte[5];
        Random.Shared.NextBytes(bytes);
        return "52:" + string.Join(':', bytes.Select(b => b.ToString("x2")));
    }

    /// <summary>
    /// A Ready machine with the given hardware: created as already deployed (manual power), sized,
    /// tagged, then released — the MAAS path to Ready that needs no commissioning environment.
    /// </summary>
    public static async Task<string> ReadyMachineAsync(MaasClient admin, int cpus, int memoryMiB, params string[] tags)
    {
        var created = await admin.PostAsync("machines/", null, [
            new("architecture", "amd64/generic"), new("mac_addresses", RandomMac()), new("power_type", "manual"), new("deployed", "true")]);
        var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
        await admin.PutAsync($"machines/{systemId}/", null, [new("cpu_count", cpus.ToString()), new("memory", memoryMiB.ToString())]);
        foreach (var tag in tags)
            await admin.PostAsync($"tags/{tag}/", "update_nodes", [new("add", systemId)]);
        var released = await admin.PostAsync($"machines/{systemId}/", "release");
        released.ParseJson().RootElement.GetProperty("status_name").GetString().ShouldBe("Ready");
        return systemId;
    }

    public static async Task<string> TagAsync(MaasClient admin, string name)
    {
        await admin.PostAsync("tags/", null, [new("name", name), new("comment", "test tag")]);
        return name;
    }

    /// <summary>The status a request gets, without throwing on refusals.</summary>
    public static async Task<System.Net.HttpStatusCode> StatusAsync(
        MaasClient client, HttpMethod method, string path, string? op = null, params (string Key, string Value)[] parameters)
    {
        var request = new MaasRequest(method, path) { Op = op };
        foreach (var (key, value) in parameters)
            request.Parameters.Add(new(key, value));
        return (await client.SendAsync(request)).StatusCode;
    }

    public static async Task<JsonElement> MachineAsync(MaasClient client, string systemId) =>
        (await client.GetAsync($"machines/{systemId}/")).ParseJson().RootElement.Clone();
}
