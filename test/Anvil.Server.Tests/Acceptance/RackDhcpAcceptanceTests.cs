using System.Diagnostics;
using System.Text.Json;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Acceptance;

/// <summary>
/// The whole path a lease takes, as an operator sets it up: anvild (region+rack) on one end of a
/// veth, DHCP turned on through the MAAS API, real clients in a test-created namespace on the
/// other end, and the lease read back through the API.
/// </summary>
public sealed class RackDhcpAcceptanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dhclient_and_udhcpc_leases_show_in_the_api_and_a_release_clears_the_address()
    {
        await using var lab = await ClientLab.CreateAsync();
        await using var anvild = await AnvildProcess.StartAsync(rackInterfaces: lab.ServerInterface);
        var admin = Admin.Client(anvild);
        var subnetId = await EnableDhcpAsync(anvild, admin, lab);
        using var scripts = new DhcpClientScripts();
        string[] files = ["-lf", scripts.PathOf("dhclient.leases"), "-pf", scripts.PathOf("dhclient.pid"), "-sf", scripts.Dhclient];

        // ISC dhclient: one DORA, then the address must be in the subnet's addresses.
        await lab.Client.RunAsync("dhclient", ["-4", "-1", "-v", .. files, lab.ClientInterface]);
        var leased = (await lab.Client.AddressesOfAsync(lab.ClientInterface)).Single().Split('/')[0];
        var seenAfter = await TimeUntilListedAsync(admin, subnetId, leased);
        output.WriteLine($"dhclient lease {leased} visible in the API {seenAfter.TotalMilliseconds:F0} ms after dhclient returned");

        await lab.Client.RunAsync("dhclient", ["-4", "-r", .. files, lab.ClientInterface]);
        await WaitUntilAsync(async () => !(await AddressesAsync(admin, subnetId)).Contains(leased), "the released address to leave the API");

        // busybox udhcpc with a hostname: it gets a lease the region records too.
        await using var udhcpc = lab.Client.Start("busybox", "udhcpc", "-f", "-q", "-i", lab.ClientInterface, "-s", scripts.Udhcpc, "-t", "5", "-T", "1", "-x", "hostname:udhcpc-e2e");
        (await udhcpc.WaitForExitAsync(Wait)).ShouldBe(0);
        var second = (await lab.Client.AddressesOfAsync(lab.ClientInterface)).Single().Split('/')[0];
        var secondAfter = await TimeUntilListedAsync(admin, subnetId, second);
        output.WriteLine($"udhcpc lease {second} visible in the API {secondAfter.TotalMilliseconds:F0} ms after udhcpc exited");
    }

    /// <summary>A dynamic range on the subnet the rack registered for its veth, and DHCP on for its VLAN with this rack as primary.</summary>
    private static async Task<long> EnableDhcpAsync(AnvildProcess anvild, MaasClient admin, ClientLab lab)
    {
        var rackId = await anvild.WaitForRackAsync();
        var subnet = await WaitForAsync(
            async () =>
            {
                var subnets = (await admin.GetAsync("subnets/")).ParseJson().RootElement;
                return subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == lab.Subnet.Cidr).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            },
            "the rack's subnet");
        var subnetId = subnet.GetValueOrDefault().GetProperty("id").GetInt64();
        var vlan = subnet.GetValueOrDefault().GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [new("type", "dynamic"), new("subnet", subnetId.ToString()), new("start_ip", lab.Subnet.Host(100)), new("end_ip", lab.Subnet.Host(199))]);
        await admin.PutAsync(
            $"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null, [new("dhcp_on", "true"), new("primary_rack", rackId)]);
        await Task.Delay(TimeSpan.FromSeconds(6)); // the rack polls its config every 5 s
        return subnetId;
    }

    private static async Task<TimeSpan> TimeUntilListedAsync(MaasClient admin, long subnetId, string ip)
    {
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await AddressesAsync(admin, subnetId)).Contains(ip), $"{ip} in the API");
        return clock.Elapsed;
    }

    private static async Task<HashSet<string>> AddressesAsync(MaasClient admin, long subnetId)
    {
        var listed = (await admin.GetAsync($"subnets/{subnetId}/", "ip_addresses")).ParseJson().RootElement;
        return [.. listed.EnumerateArray().Select(a => a.GetProperty("ip").GetString()!)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        await WaitForAsync(async () => await condition() ? "yes" : null, what);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
