using System.Globalization;
using System.Text.Json;
using Anvil.Client;
using Anvil.Server.RackLink;
using Anvil.Server.Support;
using Anvil.Testing;
using Anvil.Testing.Network;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Anvil.Server.Acceptance;

/// <summary>
/// The rack → region path of the boot timeline with real peers and no VM: a rack role wired as
/// anvild wires it, serving a veth into a namespace the test creates, linked to a region over a
/// real socket; busybox udhcpc, tftp-hpa and curl in the namespace boot as far as an unknown
/// server would; what they did is read back through the API by MAC, and, once the MAC is
/// enlisted, on the machine's own timeline.
/// </summary>
public sealed class BootTimelineAcceptanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_s_dhcp_tftp_and_http_steps_reach_the_api_under_its_mac()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var lab = await ClientLab.CreateAsync();
        using var scripts = new DhcpClientScripts();
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-timeline-rack-{Guid.NewGuid():N}");
        var tftpPort = LocalPorts.FreeUdp();
        var httpPort = LocalPorts.FreeTcp();
        var options = new AnvildOptions
        {
            Role = "rack",
            DataDir = dataDir,
            RackInterfaces = lab.ServerInterface,
            RackHttpListen = $"http://{lab.ServerAddress}:{httpPort}",
            TftpListen = $"{lab.ServerAddress}:{tftpPort}",
        };
        try
        {
            Directory.CreateDirectory(options.BootResourcesDir);
            await File.WriteAllBytesAsync(Path.Combine(options.BootResourcesDir, "lpxelinux.0"), new byte[3000]);
            await File.WriteAllBytesAsync(Path.Combine(options.BootResourcesDir, "boot-kernel"), new byte[1234]);
            await using var rack = await RackRole.StartAsync(options, [region.Url], await region.SecretAsync(), NullLoggerFactory.Instance, CancellationToken.None);
            await RackHarness.WaitUntilAsync(() => rack.Agent.IsRegistered, "the rack to register");
            var admin = await RackPowerTests.AdminAsync(region);
            await EnableDhcpAsync(admin, lab, rack.Agent.SystemId!);
            await RackHarness.WaitUntilAsync(() => rack.Dhcp.Interfaces.Contains(lab.ServerInterface), "the rack to serve DHCP on its veth");
            var mac = (await lab.Client.MacOfAsync(lab.ClientInterface)).ToLowerInvariant();
            var got = scripts.PathOf("got");

            await using (var udhcpc = lab.Client.Start("busybox", "udhcpc", "-f", "-q", "-i", lab.ClientInterface, "-s", scripts.Udhcpc, "-t", "5", "-T", "1"))
                (await udhcpc.WaitForExitAsync(Wait)).ShouldBe(0, udhcpc.Output);
            var leased = (await lab.Client.AddressesOfAsync(lab.ClientInterface)).Single().Split('/')[0];
            var port = tftpPort.ToString(CultureInfo.InvariantCulture);
            await lab.Client.RunAsync("tftp", lab.ServerAddress, port, "-m", "binary", "-c", "get", "lpxelinux.0", got);
            new FileInfo(got).Length.ShouldBe(3000);
            // What an unknown server's failed PXE boot looks like: a file the rack does not have.
            await lab.Client.TryRunAsync(Wait, "tftp", lab.ServerAddress, port, "-m", "binary", "-c", "get", "grubx64.efi", scripts.PathOf("missing"));
            await lab.Client.RunAsync("curl", "-sf", "-o", got, $"http://{lab.ServerAddress}:{httpPort}/images/boot-kernel");

            var rows = await WaitForRowsAsync(admin, mac, rows => rows.Any(r => r.Stage == "http"));

            rows.Where(r => r.Stage == "dhcp").Select(r => r.Kind).ShouldBe(["DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPACK"]);
            rows.Single(r => r.Kind == "DHCPACK").Detail.ShouldBe(leased);
            rows.Single(r => r.Kind == "DHCPDISCOVER").Detail.ShouldEndWith($"on {lab.ServerInterface}");
            rows.Where(r => r.Stage == "tftp").Select(r => (r.Kind, r.Detail, r.Bytes)).ShouldBe(
                [("read", "lpxelinux.0 sent", 3000L), ("read", "grubx64.efi not found", null)]);
            rows.Where(r => r.Stage == "http").Select(r => (r.Kind, r.Detail, r.Bytes)).ShouldBe([("GET", "/images/boot-kernel 200", 1234L)]);
            rows.ShouldAllBe(r => r.Mac == mac && r.Source == rack.Agent.SystemId);
            rows.Select(r => r.At).ShouldBeInOrder();

            // Enlisted later, the machine's own timeline starts with the boot that came before it.
            var created = await admin.PostAsync("machines/", null, [new("architecture", "amd64/generic"), new("mac_addresses", mac), new("power_type", "manual")]);
            var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
            var machine = Rows((await admin.GetAsync($"machines/{systemId}/", "boot_timeline")).ParseJson().RootElement);
            machine.Where(r => r.Stage != "status").Select(r => r.Kind).ShouldBe(rows.Select(r => r.Kind));
        }
        finally
        {
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>A dynamic range on the subnet the rack registered for its veth, and DHCP on for its VLAN with this rack as primary.</summary>
    private static async Task EnableDhcpAsync(MaasClient admin, ClientLab lab, string rackId)
    {
        var subnet = await RackHarness.WaitForAsync(
            async () =>
            {
                var subnets = (await admin.GetAsync("subnets/")).ParseJson().RootElement;
                return subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == lab.Subnet.Cidr).Select(s => s.Clone().ToString()).FirstOrDefault();
            },
            "the rack's subnet");
        using var json = JsonDocument.Parse(subnet);
        var subnetId = json.RootElement.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var vlan = json.RootElement.GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [new("type", "dynamic"), new("subnet", subnetId), new("start_ip", lab.Subnet.Host(100)), new("end_ip", lab.Subnet.Host(199))]);
        await admin.PutAsync(
            $"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null, [new("dhcp_on", "true"), new("primary_rack", rackId)]);
    }

    private static async Task<IReadOnlyList<Row>> WaitForRowsAsync(MaasClient admin, string mac, Func<IReadOnlyList<Row>, bool> done)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var rows = Rows((await admin.GetAsync("boot-timeline/", null, [new("mac", mac)])).ParseJson().RootElement);
            if (done(rows))
                return rows;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for the timeline of {mac}; got: {string.Join(", ", rows.Select(r => r.Kind))}");
            await Task.Delay(100);
        }
    }

    private static List<Row> Rows(JsonElement timeline) =>
    [
        .. timeline.EnumerateArray().Select(e => new Row(
            DateTimeOffset.Parse(e.GetProperty("at").GetString()!, CultureInfo.InvariantCulture),
            e.GetProperty("stage").GetString()!,
            e.GetProperty("kind").GetString()!,
            e.GetProperty("detail").GetString()!,
            e.GetProperty("bytes").ValueKind == JsonValueKind.Number ? e.GetProperty("bytes").GetInt64() : null,
            e.GetProperty("mac").GetString(),
            e.GetProperty("source").GetString()!)),
    ];

    private sealed record Row(DateTimeOffset At, string Stage, string Kind, string Detail, long? Bytes, string? Mac, string Source);
}
