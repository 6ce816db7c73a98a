using System.Text.Json;
using System.Text.RegularExpressions;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// A real firmware against the real rack: a qemu VM whose virtio NIC carries Debian's iPXE ROM,
/// on a tap bridged to the rack's interface. anvild (region+rack) serves DHCP there and its HTTP
/// boot server listens on port 5248 of the bridge address, the port the boot URLs name.
/// </summary>
public sealed partial class QemuPxeBootTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>iPXE waits about 16 s for IPv6 autoconfiguration (no router advertisement here) before it chains, and TCG is slow.</summary>
    private static readonly TimeSpan BootWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_qemu_vm_with_an_ipxe_rom_pxe_boots_against_the_rack_and_fetches_its_per_mac_script()
    {
        await using var net = await BridgedTap.CreateAsync();
        await using var anvild = await AnvildProcess.StartAsync(rackInterfaces: net.BridgeName, rackHttpListen: $"http://{net.BridgeAddress}:5248");
        var admin = Admin.Client(anvild);
        var subnetId = await EnableDhcpAsync(anvild, admin, net);

        var mac = QemuVm.RandomMac();
        string? vmAddress;
        string serial;
        await using (var vm = QemuVm.StartNetworkBoot(net.TapName, mac))
        {
            var perMacRequest = new Regex($@"GET /ipxe\.cfg-{Regex.Escape(mac)} 200 \d+ bytes \d+ ms (?<client>[0-9.]+)");
            vmAddress = await WaitForAsync(
                () => Task.FromResult(perMacRequest.Match(anvild.Output) is { Success: true } m ? m.Groups["client"].Value : null),
                BootWait,
                () => $"the rack to serve /ipxe.cfg-{mac}",
                () => Diagnostics(vm.SerialConsole, anvild));
            // The script arrives before iPXE runs it: its first line is an "Anvil: …" echo.
            await WaitForAsync(
                () => Task.FromResult(vm.SerialConsole.Contains("Anvil: ", StringComparison.Ordinal) ? "yes" : null),
                Wait,
                () => "iPXE to run the per-MAC script",
                () => Diagnostics(vm.SerialConsole, anvild));
            serial = Printable(vm.SerialConsole);
        }

        var diagnostics = Diagnostics(serial, anvild);
        anvild.Output.ShouldContain("GET /ipxe.cfg 200", customMessage: diagnostics);
        // iPXE prints the URL it fetches, with the MAC's colons percent-encoded, and "... ok" once it has it.
        serial.ShouldContain($"http://{net.BridgeAddress}:5248/ipxe.cfg-{Uri.EscapeDataString(mac)}... ok", customMessage: diagnostics);
        vmAddress.ShouldStartWith($"{net.Subnet.First}.{net.Subnet.Second}.{net.Subnet.Third}.", customMessage: diagnostics);

        // The address the VM fetched its script from is its lease, and the region recorded it.
        var listed = await WaitForAsync(
            async () => (await AddressesAsync(admin, subnetId)).FirstOrDefault(a => a.GetProperty("ip").GetString() == vmAddress) is { ValueKind: JsonValueKind.Object } found ? (JsonElement?)found : null,
            Wait,
            () => $"{vmAddress} in subnets/{subnetId}/?op=ip_addresses",
            () => diagnostics);
        // A lease is an observed address (MAAS's DISCOVERED, alloc_type 6), not one the region handed out.
        listed.GetValueOrDefault().GetProperty("alloc_type").GetInt32().ShouldBe(6, customMessage: diagnostics);

        output.WriteLine($"VM lease {vmAddress}; serial console:\n{serial}");
        output.WriteLine(string.Join('\n', anvild.Output.Split('\n').Where(l => l.Contains("RackHttpServer", StringComparison.Ordinal))));
    }

    /// <summary>A dynamic range on the subnet the rack registered for the bridge, and DHCP on for its VLAN with this rack as primary.</summary>
    private static async Task<long> EnableDhcpAsync(AnvildProcess anvild, MaasClient admin, BridgedTap net)
    {
        string Log() => anvild.Output;
        var systemIdFile = Path.Combine(anvild.DataDir, "rack", "system_id");
        var rackId = await WaitForAsync(
            () => Task.FromResult(File.Exists(systemIdFile) ? File.ReadAllText(systemIdFile).Trim() : null), Wait, () => "the rack to register", Log);
        var subnet = await WaitForAsync(
            async () =>
            {
                var subnets = (await admin.GetAsync("subnets/")).ParseJson().RootElement;
                return subnets.EnumerateArray().Where(s => s.GetProperty("cidr").GetString() == net.Subnet.Cidr).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            },
            Wait,
            () => "the rack's subnet",
            Log);
        var subnetId = subnet.GetValueOrDefault().GetProperty("id").GetInt64();
        var vlan = subnet.GetValueOrDefault().GetProperty("vlan");
        await admin.PostAsync("ipranges/", null, [new("type", "dynamic"), new("subnet", subnetId.ToString()), new("start_ip", net.Subnet.Host(100)), new("end_ip", net.Subnet.Host(199))]);
        await admin.PutAsync(
            $"fabrics/{vlan.GetProperty("fabric_id").GetInt64()}/vlans/{vlan.GetProperty("vid").GetInt32()}/", null, [new("dhcp_on", "true"), new("primary_rack", rackId)]);
        // The rack polls its config; the VM must not start before the server listens on the bridge.
        await WaitForAsync(
            () => Task.FromResult(Log().Contains($"DHCP listening on {net.BridgeName}", StringComparison.Ordinal) ? "yes" : null), Wait, () => "the DHCP server to listen", Log);
        return subnetId;
    }

    private static async Task<List<JsonElement>> AddressesAsync(MaasClient admin, long subnetId)
    {
        var listed = (await admin.GetAsync($"subnets/{subnetId}/", "ip_addresses")).ParseJson().RootElement;
        return [.. listed.EnumerateArray().Select(a => a.Clone())];
    }

    private static string Diagnostics(string serial, AnvildProcess anvild) =>
        $"\n--- serial console ---\n{Printable(serial)}\n--- anvild output ---\n{anvild.Output}";

    /// <summary>The console without iPXE's terminal escapes and spinner backspaces.</summary>
    private static string Printable(string serial) => TerminalNoise().Replace(serial, "");

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\x08 \x08|\x08|\r")]
    private static partial Regex TerminalNoise();

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> what, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what()}.{diagnostics()}");
            await Task.Delay(50);
        }
    }
}
