using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Dns;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Dns;

/// <summary>
/// What an operator sees with <c>dig</c> against the region's named as the network model changes
/// through the MAAS API: machines created, renamed and deleted, a second interface's address, DNS
/// resources, and the reverse lookups of each.
/// </summary>
public sealed class DnsPublishingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Machines_interfaces_and_dns_resources_show_in_bind_forward_and_reverse_and_leave_it_when_removed()
    {
        await using var anvild = await AnvildProcess.StartAsync();
        var admin = Admin.Client(anvild);
        var port = anvild.DnsPort;
        var third = Random.Shared.Next(1, 250);
        var subnet = await CreateSubnetAsync(admin, $"10.77.{third}.0/24");
        string Ip(int host) => $"10.77.{third}.{host}";

        var serialBefore = await SerialAsync(port);

        // A machine with a static address on its boot interface: <hostname>.maas, and the PTR.
        var hostname = Admin.Unique("web");
        var (systemId, bootInterface) = await CreateMachineAsync(admin, hostname);
        await LinkStaticAsync(admin, systemId, bootInterface, subnet, Ip(10));
        var seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{hostname}.maas"), a => a.SequenceEqual([Ip(10)]), $"{hostname}.maas A");
        output.WriteLine($"machine address visible with dig {seen.TotalMilliseconds:F0} ms after the API call returned");
        await Dig.WaitForAsync(() => Dig.ReverseAsync(port, Ip(10)), a => a.SequenceEqual([$"{hostname}.maas."]), "the machine's PTR");

        // A second interface: <iface>.<hostname>.maas.
        var second = await CreateInterfaceAsync(admin, systemId, "eth_data");
        var linked = (await LinkStaticAsync(admin, systemId, second, subnet, Ip(11))).ParseJson().RootElement;
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"eth-data.{hostname}.maas"), a => a.SequenceEqual([Ip(11)]), "the second interface's name");
        output.WriteLine($"interface address visible {seen.TotalMilliseconds:F0} ms after the API call");

        // The interface address moves (unlink, link another): the old address leaves, forward and reverse.
        var linkId = linked.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("ip_address").GetString() == Ip(11)).GetProperty("id").GetInt64();
        await admin.PostAsync($"nodes/{systemId}/interfaces/{second}/", "unlink_subnet", [new("id", linkId.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"eth-data.{hostname}.maas"), a => a.Count == 0, "the unlinked address to go");
        output.WriteLine($"interface address removal visible {seen.TotalMilliseconds:F0} ms after the API call");
        (await Dig.ReverseAsync(port, Ip(11))).ShouldBeEmpty();
        await LinkStaticAsync(admin, systemId, second, subnet, Ip(12));
        await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"eth-data.{hostname}.maas"), a => a.SequenceEqual([Ip(12)]), "the interface's new address");
        await Dig.WaitForAsync(() => Dig.ReverseAsync(port, Ip(12)), a => a.SequenceEqual([$"eth-data.{hostname}.maas."]), "the new address's PTR");

        // Rename: the old names go, the new ones come, the PTRs follow.
        var renamed = Admin.Unique("app");
        await admin.PutAsync($"machines/{systemId}/", null, [new("hostname", renamed)]);
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{renamed}.maas"), a => a.SequenceEqual([Ip(10)]), "the new name");
        output.WriteLine($"rename visible {seen.TotalMilliseconds:F0} ms after the API call");
        (await Dig.ShortAsync(port, $"{hostname}.maas")).ShouldBeEmpty();
        (await Dig.ShortAsync(port, $"eth-data.{hostname}.maas")).ShouldBeEmpty();
        (await Dig.ShortAsync(port, $"eth-data.{renamed}.maas")).ShouldBe([Ip(12)]);
        (await Dig.ReverseAsync(port, Ip(10))).ShouldBe([$"{renamed}.maas."]);

        // A DNS resource with an address, and a CNAME record on another name.
        var printer = Admin.Unique("printer");
        var created = await admin.PostAsync("dnsresources/", null, [new("fqdn", $"{printer}.maas"), new("ip_addresses", Ip(50))]);
        var resourceId = created.ParseJson().RootElement.GetProperty("id").GetInt64();
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{printer}.maas"), a => a.SequenceEqual([Ip(50)]), "the DNS resource");
        output.WriteLine($"dnsresource visible {seen.TotalMilliseconds:F0} ms after the API call");
        await Dig.WaitForAsync(() => Dig.ReverseAsync(port, Ip(50)), a => a.SequenceEqual([$"{printer}.maas."]), "the resource's PTR");

        // Renaming the resource moves its name and PTR.
        var printerRenamed = Admin.Unique("printer2");
        await admin.PutAsync($"dnsresources/{resourceId}/", null, [new("fqdn", $"{printerRenamed}.maas")]);
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{printerRenamed}.maas"), a => a.SequenceEqual([Ip(50)]), "the renamed resource");
        output.WriteLine($"dnsresource rename visible {seen.TotalMilliseconds:F0} ms after the API call");
        (await Dig.ShortAsync(port, $"{printer}.maas")).ShouldBeEmpty();
        await Dig.WaitForAsync(() => Dig.ReverseAsync(port, Ip(50)), a => a.SequenceEqual([$"{printerRenamed}.maas."]), "the renamed resource's PTR");
        printer = printerRenamed;
        var alias = Admin.Unique("docs");
        await admin.PostAsync("dnsresourcerecords/", null, [new("fqdn", $"{alias}.maas"), new("rrtype", "CNAME"), new("rrdata", $"{printer}.maas.")]);
        await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{alias}.maas", "CNAME"), a => a.SequenceEqual([$"{printer}.maas."]), "the CNAME");

        // Deletes: the resource, then the machine.
        await admin.DeleteAsync($"dnsresources/{resourceId}/");
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{printer}.maas"), a => a.Count == 0, "the resource to go");
        output.WriteLine($"dnsresource delete visible {seen.TotalMilliseconds:F0} ms after the API call");
        (await Dig.ReverseAsync(port, Ip(50))).ShouldBeEmpty();
        await admin.DeleteAsync($"machines/{systemId}/");
        seen = await Dig.WaitForAsync(() => Dig.ShortAsync(port, $"{renamed}.maas"), a => a.Count == 0, "the machine's name to go");
        output.WriteLine($"machine delete visible {seen.TotalMilliseconds:F0} ms after the API call");
        (await Dig.ShortAsync(port, $"eth-data.{renamed}.maas")).ShouldBeEmpty();
        (await Dig.ReverseAsync(port, Ip(10))).ShouldBeEmpty();

        // BIND numbered every update: the zone's serial only went up (one per UPDATE message).
        (await SerialAsync(port)).ShouldBeGreaterThan(serialBefore + 5);
    }

    private static async Task<long> SerialAsync(int port) =>
        long.Parse(Fields((await Dig.ShortAsync(port, "maas", "SOA")).Single())[2], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Dns_settings_reach_named_the_default_ttl_in_answers_and_resolvers_acl_and_validation_in_its_options()
    {
        await using var anvild = await AnvildProcess.StartAsync();
        var admin = Admin.Client(anvild);
        var port = anvild.DnsPort;
        var third = Random.Shared.Next(1, 250);
        var cidr = $"10.76.{third}.0/24";
        await CreateSubnetAsync(admin, cidr);
        var name = Admin.Unique("ttl");
        await admin.PostAsync("dnsresources/", null, [new("fqdn", $"{name}.maas"), new("ip_addresses", $"10.76.{third}.9")]);
        await Dig.WaitForAsync(() => Dig.AnswerAsync(port, $"{name}.maas"), a => a.Count == 1 && Fields(a[0])[1] == "30", "the record with MAAS's default TTL of 30");

        await SetConfigAsync(admin, "default_dns_ttl", "120");
        await Dig.WaitForAsync(() => Dig.AnswerAsync(port, $"{name}.maas"), a => a.Count == 1 && Fields(a[0])[1] == "120", "the record with the new default TTL");

        var options = Path.Combine(anvild.DataDir, "bind", "named.conf.options.inside.anvil");
        File.ReadAllText(options).ShouldContain("recursion no;");
        await SetConfigAsync(admin, "upstream_dns", "127.0.0.1");
        await SetConfigAsync(admin, "dnssec_validation", "no");
        await SetConfigAsync(admin, "dns_trusted_acl", "192.0.2.0/24");
        await Dig.WaitForAsync(
            () => Task.FromResult<IReadOnlyList<string>>([File.ReadAllText(options)]),
            t => t[0].Contains("forwarders { 127.0.0.1; }", StringComparison.Ordinal) && t[0].Contains("dnssec-validation no;", StringComparison.Ordinal)
                 && t[0].Contains("192.0.2.0/24;", StringComparison.Ordinal) && t[0].Contains(cidr + ";", StringComparison.Ordinal),
            "named's options to follow the settings");

        // named took the new options (rndc reconfig) and still answers for Anvil's zones.
        (await Dig.ShortAsync(port, $"{name}.maas")).ShouldBe([$"10.76.{third}.9"]);
        anvild.Output.ShouldContain("named reconfigured");
    }

    private static string[] Fields(string line) => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static Task<MaasResponse> SetConfigAsync(MaasClient admin, string name, string value) =>
        admin.PostAsync("maas/", "set_config", [new("name", name), new("value", value)]);

    private static async Task<long> CreateSubnetAsync(MaasClient admin, string cidr) =>
        (await admin.PostAsync("subnets/", null, [new("cidr", cidr)])).ParseJson().RootElement.GetProperty("id").GetInt64();

    /// <summary>A Ready machine (the API's path without commissioning) with the given hostname, and its boot interface.</summary>
    private static async Task<(string SystemId, long InterfaceId)> CreateMachineAsync(MaasClient admin, string hostname)
    {
        var systemId = await Admin.ReadyMachineAsync(admin, 1, 1024);
        var machine = (await admin.PutAsync($"machines/{systemId}/", null, [new("hostname", hostname)])).ParseJson().RootElement;
        return (systemId, machine.GetProperty("interface_set")[0].GetProperty("id").GetInt64());
    }

    private static async Task<long> CreateInterfaceAsync(MaasClient admin, string systemId, string name) =>
        (await admin.PostAsync($"nodes/{systemId}/interfaces/", "create_physical", [new("name", name), new("mac_address", Admin.RandomMac())]))
            .ParseJson().RootElement.GetProperty("id").GetInt64();

    private static Task<MaasResponse> LinkStaticAsync(MaasClient admin, string systemId, long interfaceId, long subnetId, string ip) =>
        admin.PostAsync($"nodes/{systemId}/interfaces/{interfaceId}/", "link_subnet", [
            new("mode", "STATIC"), new("subnet", subnetId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("ip_address", ip)]);
}
