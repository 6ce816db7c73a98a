using System.Globalization;
using System.Text.Json;
using Anvil.Client;
using Anvil.Lab.Fleet;
using Anvil.Server.Support;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Lab.Tests.Fleet;

/// <summary>
/// <c>anvil-lab fleet</c> in a network namespace of its own, against a real anvild whose rack serves
/// DHCP and HTTP boot on the root end of a veth into that namespace: a handful of simulated
/// machines PXE-enlist (their BMCs named in the enlistment), the API commissions them, the region
/// powers them on through their simulated BMCs over IPMI, and they reach Ready with the inventory of
/// the captured commissioning outputs; then the fleet uploads its own small image, allocates and
/// deploys every machine, the region powers them on again, each runs the install config, reboots,
/// is sent to its local disk by the rack and, as the installed OS, fetches its user data: Deployed.
/// </summary>
public sealed class FleetEndToEndTests(ITestOutputHelper output)
{
    private const int Machines = 5;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FleetWait = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Simulated_machines_enlist_over_pxe_commission_and_deploy_with_the_region_powering_them_over_ipmi()
    {
        var subnet = TestNames.NextSubnet();
        await using var ns = await NetworkNamespace.CreateAsync("avfl");
        await using var link = await VethLink.CreateAsync(null, ns, "avf");
        await link.AddLeftAddressAsync(subnet.HostWithPrefix(1));
        await link.AddRightAddressAsync(subnet.HostWithPrefix(2));
        await using var anvild = await AnvildProcess.StartAsync(rackInterfaces: link.LeftName, rackHttpListen: $"http://{subnet.Host(1)}:5248");
        using var admin = new MaasClient(new Uri(anvild.Url), MaasApiKey.Parse(anvild.AdminKey));
        await EnableDhcpAsync(anvild, admin, subnet, link.LeftName);
        var kernelBytes = InstallFakeEphemeralImage(anvild.DataDir);
        var json = Path.Combine(anvild.DataDir, "fleet.json");

        await using var fleet = ns.Start("dotnet", Path.Combine(AppContext.BaseDirectory, "anvil-lab.dll"), "fleet",
            "--region", $"http://{subnet.Host(1)}:5248/MAAS", "--api-key", anvild.AdminKey, "--machines", Machines.ToString(CultureInfo.InvariantCulture),
            "--interface", link.RightName, "--until", "deploy", "--timeout", "300", "--firmware-seconds", "11", "--json", json);
        var exit = await fleet.WaitForExitAsync(FleetWait);
        output.WriteLine(fleet.Output);

        exit.ShouldBe(0, $"{fleet.Output}\n--- anvild ---\n{anvild.Output}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        output.WriteLine($"machine 0: {report.RootElement.GetProperty("machine_timelines")[0]}");
        report.RootElement.GetProperty("failures").GetArrayLength().ShouldBe(0);
        var phases = report.RootElement.GetProperty("phases").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("succeeded").GetInt32());
        phases.ShouldBe(new Dictionary<string, int> { ["enlist"] = Machines, ["commission"] = Machines, ["deploy"] = Machines });
        // kernel and initrd per network boot: enlistment, commissioning and the installer's boot per
        // machine; its reboot after the install goes to the local disk and downloads nothing.
        report.RootElement.GetProperty("boot_bytes").GetInt64().ShouldBe(3 * Machines * kernelBytes);
        report.RootElement.GetProperty("image_bytes").GetInt64().ShouldBe(Machines * FleetImage.RootTarball().Length);
        var steps = report.RootElement.GetProperty("steps");
        steps.GetProperty("commission/api-to-power-on").GetProperty("count").GetInt32().ShouldBe(Machines);
        steps.GetProperty("deploy/api-to-power-on").GetProperty("count").GetInt32().ShouldBe(Machines);
        foreach (var step in (string[])["install-config", "install-image", "netboot-off", "dhcp-installed", "user-data", "cloud-init-final"])
            steps.GetProperty($"deploy/{step}").GetProperty("count").GetInt32().ShouldBe(Machines, step);
        // Each machine enlisted once; its commissioning boot got its own preseed with its token
        // (firmware time above the rack's 10 s boot-config cache, see MachineSettings.FirmwareTime).
        steps.GetProperty("enlist/enlist").GetProperty("count").GetInt32().ShouldBe(Machines);
        steps.GetProperty("commission/testing-scripts").GetProperty("count").GetInt32().ShouldBe(Machines);

        var machines = (await admin.GetAsync("machines/")).ParseJson().RootElement.EnumerateArray().ToList();
        machines.Count.ShouldBe(Machines);
        foreach (var machine in machines)
        {
            var id = machine.GetProperty("system_id").GetString();
            machine.GetProperty("status_name").GetString().ShouldBe("Deployed", id);
            machine.GetProperty("netboot").GetBoolean().ShouldBeFalse(id);
            machine.GetProperty("osystem").GetString().ShouldBe("custom", id);
            machine.GetProperty("distro_series").GetString().ShouldBe(FleetImage.Name, id);
            machine.GetProperty("power_type").GetString().ShouldBe("ipmi", id);
            // the captured guest's inventory: 2 CPUs, 2 GiB, two disks with this machine's serials
            machine.GetProperty("cpu_count").GetInt32().ShouldBe(2, id);
            machine.GetProperty("physicalblockdevice_set").EnumerateArray().Select(d => d.GetProperty("serial").GetString()!)
                .Count(s => s.StartsWith("VDA-SIM-", StringComparison.Ordinal) || s.StartsWith("SDA-SIM-", StringComparison.Ordinal)).ShouldBe(2, id);
            var power = (await admin.GetAsync($"machines/{id}/", "power_parameters")).ParseJson().RootElement;
            power.GetProperty("power_address").GetString()!.ShouldStartWith(subnet.Host(2) + ":", customMessage: id);
        }

        // the installer's progress reached the region's event log through the status webhook
        var events = (await admin.GetAsync("events/", "query", [new("id", machines[0].GetProperty("system_id").GetString()!), new("limit", "200"), new("level", "DEBUG")])).BodyText;
        events.ShouldContain("writing the root file system", Case.Sensitive, events);

        // every disk serial is the machine's own
        machines.SelectMany(m => m.GetProperty("physicalblockdevice_set").EnumerateArray().Select(d => d.GetProperty("serial").GetString())).Distinct().Count().ShouldBe(2 * Machines);
    }

    /// <summary>A stand-in kernel and initrd where the region names the ephemeral image; the machines only download them. Returns their combined size.</summary>
    private static long InstallFakeEphemeralImage(string dataDir)
    {
        var dir = Path.Combine(dataDir, "boot-resources", "anvil", "amd64", "generic", "ephemeral", "stable");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "boot-kernel"), new byte[300_000]);
        File.WriteAllBytes(Path.Combine(dir, "boot-initrd"), new byte[700_000]);
        return 1_000_000;
    }

    /// <summary>A dynamic range on the rack's subnet and DHCP on for its VLAN with this rack as primary.</summary>
    private static async Task EnableDhcpAsync(AnvildProcess anvild, MaasClient admin, TestSubnet subnet, string rackInterface)
    {
        var rackId = await anvild.WaitForRackAsync();
        JsonElement? found = null;
        var deadline = DateTime.UtcNow + Wait;
        while (found is null)
        {
            var subnets = (await admin.GetAsync("subnets/")).ParseJson().RootElement;
            found = subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == subnet.Cidr).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            if (found is null && DateTime.UtcNow > deadline)
                throw new TimeoutException($"The rack's subnet {subnet.Cidr} did not appear.\n{anvild.Output}");
            await Task.Delay(100);
        }

        var vlan = found.Value.GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [new("type", "dynamic"), new("subnet", found.Value.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)),
            new("start_ip", subnet.Host(100)), new("end_ip", subnet.Host(199))]);
        await admin.PutAsync($"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null,
            [new("dhcp_on", "true"), new("primary_rack", rackId)]);
        deadline = DateTime.UtcNow + Wait;
        while (!anvild.Output.Contains($"DHCP listening on {rackInterface}", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The DHCP server did not start on {rackInterface}.\n{anvild.Output}");
            await Task.Delay(100);
        }
    }
}
