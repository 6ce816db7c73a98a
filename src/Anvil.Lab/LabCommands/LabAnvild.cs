using System.Globalization;
using System.Text.Json;
using Anvil.Client;
using Anvil.Lab.Vms;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// anvild (region+rack, its own managed PostgreSQL and named) inside the lab's namespace, its
/// API and rack on the bridge, started detached the way <c>scripts/run.sh</c> runs it; and the
/// operator's first steps through the API: a dynamic range and DHCP on the bridge's VLAN.
/// </summary>
internal static class LabAnvild
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan DhcpTimeout = TimeSpan.FromMinutes(1);

    public static int Start(LabState lab, string anvild)
    {
        var a = lab.ServerAddress;
        string[] run =
        [
            // All addresses: the namespace is the lab's own, and region+rack's rack links to the region over 127.0.0.1.
            "run", "--data-dir", lab.AnvildDataDirectory, "--listen", "http://0.0.0.0:5240", "--maas-url", lab.MaasUrl,
            "--rack-interfaces", lab.Bridge, "--rack-http-listen", $"http://{a}:5248", "--tftp-listen", $"{a}:69", "--dns-listen", $"{a}:53",
        ];
        var command = anvild.EndsWith(".dll", StringComparison.Ordinal) ? (string[])["dotnet", anvild, .. run] : [anvild, .. run];
        return LabCommand.StartDetached(lab.AnvildLog, "ip", ["netns", "exec", lab.NetNamespace, .. command]);
    }

    /// <summary>The admin API key anvild prints once it has bootstrapped its database.</summary>
    public static async Task<string> WaitForAdminKeyAsync(LabState lab, CancellationToken ct)
    {
        const string marker = "Admin API key:";
        return await PollAsync(lab, "anvild to print its admin API key", StartTimeout, () =>
        {
            var line = ReadLog(lab).Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            return Task.FromResult(line?[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim());
        }, ct);
    }

    /// <summary>The rack's system_id once it has registered with the region.</summary>
    public static async Task<string> WaitForRackAsync(LabState lab, CancellationToken ct)
    {
        var file = Path.Combine(lab.AnvildDataDirectory, "rack", "system_id");
        return await PollAsync(lab, "the rack to register", StartTimeout,
            () => Task.FromResult(File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } id ? id : null), ct);
    }

    /// <summary>A dynamic range (.100-.199) on the subnet the rack reported for the bridge, and DHCP on for its VLAN with this rack as primary.</summary>
    public static async Task EnableDhcpAsync(LabState lab, MaasClient admin, CancellationToken ct)
    {
        JsonElement? subnet = null;
        await PollAsync(lab, $"the rack's subnet {lab.Cidr}", DhcpTimeout, async () =>
        {
            var subnets = (await admin.GetAsync("subnets/", cancellationToken: ct)).ParseJson().RootElement;
            subnet = subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == lab.Cidr).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            return subnet is null ? null : "";
        }, ct);
        var vlan = subnet!.Value.GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [
            new("type", "dynamic"), new("subnet", subnet.Value.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)),
            new("start_ip", $"{lab.SubnetPrefix}.100"), new("end_ip", $"{lab.SubnetPrefix}.199"), new("comment", "anvil-lab")], cancellationToken: ct);
        await admin.PutAsync(
            $"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null,
            [new("dhcp_on", "true"), new("primary_rack", lab.RackSystemId!)], cancellationToken: ct);
        await PollAsync(lab, $"the DHCP server on {lab.Bridge}", DhcpTimeout,
            () => Task.FromResult(ReadLog(lab).Contains($"DHCP listening on {lab.Bridge}", StringComparison.Ordinal) ? "" : null), ct);
    }

    public static string ReadLog(LabState lab)
    {
        if (!File.Exists(lab.AnvildLog))
            return "";
        using var stream = new FileStream(lab.AnvildLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    private static async Task<string> PollAsync(LabState lab, string what, TimeSpan timeout, Func<Task<string?>> probe, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (lab.AnvildPid is { } pid && !LabProcesses.IsAlive(pid))
                throw new InvalidOperationException($"anvild exited while waiting for {what}; its log: {lab.AnvildLog}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what} after {timeout}; anvild's log: {lab.AnvildLog}");
            await Task.Delay(250, ct);
        }
    }
}
