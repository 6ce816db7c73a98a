using System.Net;
using Anvil.Domain.Dns;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Dns;

public sealed class DnsZonePlannerTests
{
    private static readonly DnsDomainRow Maas = new(0, "maas", true, null, true, []);

    [Fact]
    public void The_boot_interface_address_is_the_hostname_and_other_interfaces_are_named_under_it()
    {
        var plan = Plan(nodes:
        [
            Node(1, "web", "eth0", boot: true, "10.0.0.5"),
            Node(1, "web", "eth1", boot: false, "10.0.1.5"),
        ]);

        Lines(plan, "maas").ShouldBe(["eth1.web.maas 30 A 10.0.1.5", "web.maas 30 A 10.0.0.5"]);
    }

    [Fact]
    public void A_bond_on_the_boot_interface_carries_the_hostname()
    {
        var plan = Plan(nodes:
        [
            Node(1, "db", "bond0", boot: true, "10.0.0.7"),
            Node(1, "db", "eth2", boot: false, "10.0.2.7"),
        ]);

        Lines(plan, "maas").ShouldBe(["db.maas 30 A 10.0.0.7", "eth2.db.maas 30 A 10.0.2.7"]);
    }

    [Fact]
    public void Interface_labels_have_hyphens_for_underscores_and_no_leading_digits()
    {
        var plan = Plan(nodes:
        [
            Node(1, "Host", "eth0", boot: true, "10.0.0.5"),
            Node(1, "Host", "0_data_net", boot: false, "10.0.1.5"),
            Node(1, "Host", "42", boot: false, "10.0.2.5"),
        ]);

        Lines(plan, "maas").ShouldBe(["10-0-2-5.host.maas 30 A 10.0.2.5", "data-net.host.maas 30 A 10.0.1.5", "host.maas 30 A 10.0.0.5"]);
    }

    [Fact]
    public void The_hostname_gets_one_address_per_family_and_the_boot_interfaces_others_go_under_its_name()
    {
        var plan = Plan(nodes:
        [
            Node(1, "web", "eth0", boot: true, "10.0.0.5"),
            Node(1, "web", "eth0", boot: true, "2001:db8::5"),
            Node(1, "web", "eth0", boot: true, "10.0.0.6"),
        ]);

        Lines(plan, "maas").ShouldBe(["eth0.web.maas 30 A 10.0.0.6", "web.maas 30 A 10.0.0.5", "web.maas 30 AAAA 2001:db8::5"]);
    }

    [Fact]
    public void Without_a_boot_interface_address_the_first_address_of_each_family_is_the_hostname()
    {
        var plan = Plan(nodes:
        [
            Node(1, "edge", "eth1", boot: false, "10.0.1.9"),
            Node(1, "edge", "eth2", boot: false, "10.0.2.9"),
        ]);

        Lines(plan, "maas").ShouldBe(["edge.maas 30 A 10.0.1.9", "eth2.edge.maas 30 A 10.0.2.9"]);
    }

    [Fact]
    public void A_boot_address_of_one_family_keeps_the_other_familys_addresses_off_the_hostname()
    {
        var plan = Plan(nodes:
        [
            Node(1, "web", "eth0", boot: true, "10.0.0.5"),
            Node(1, "web", "eth1", boot: false, "2001:db8::9"),
        ]);

        Lines(plan, "maas").ShouldBe(["eth1.web.maas 30 AAAA 2001:db8::9", "web.maas 30 A 10.0.0.5"]);
    }

    [Fact]
    public void Discovered_addresses_get_no_interface_name_once_the_node_has_an_assigned_address()
    {
        var plan = Plan(nodes:
        [
            Node(1, "web", "eth0", boot: true, "10.0.0.5"),
            Node(1, "web", "eth1", boot: false, "10.0.1.50", discovered: true),
            Node(2, "lease", "eth0", boot: true, "10.0.0.60", discovered: true),
            Node(2, "lease", "eth1", boot: false, "10.0.1.60", discovered: true),
        ]);

        Lines(plan, "maas").ShouldBe(["eth1.lease.maas 30 A 10.0.1.60", "lease.maas 30 A 10.0.0.60", "web.maas 30 A 10.0.0.5"]);
    }

    [Fact]
    public void Address_ttl_wins_over_domain_ttl_which_wins_over_the_default()
    {
        var withTtl = new DnsDomainRow(1, "lab", true, 600, false, []);
        var plan = Plan(
            defaultTtl: 45,
            domains: [Maas, withTtl],
            nodes:
            [
                Node(1, "own", "eth0", boot: true, "10.0.0.1", addressTtl: 120),
                Node(2, "dom", "eth0", boot: true, "10.0.0.2", domainId: 1),
                Node(3, "dflt", "eth0", boot: true, "10.0.0.3"),
            ],
            resources:
            [
                new DnsResourceAddressRow("res", 1, 900, IPAddress.Parse("10.0.0.4")),
                new DnsResourceAddressRow("plain", 0, null, IPAddress.Parse("10.0.0.5")),
            ],
            data:
            [
                new DnsResourceDataRow("txt", 1, "TXT", "\"hello\"", 5),
                new DnsResourceDataRow("txt2", 1, "TXT", "\"bye\"", null),
            ]);

        Lines(plan, "maas").ShouldBe(["dflt.maas 45 A 10.0.0.3", "own.maas 120 A 10.0.0.1", "plain.maas 45 A 10.0.0.5"]);
        Lines(plan, "lab").ShouldBe(["dom.lab 600 A 10.0.0.2", "res.lab 900 A 10.0.0.4", "txt.lab 5 TXT \"hello\"", "txt2.lab 600 TXT \"bye\""]);
        plan.Zones.Single(z => z.Name == "lab").Ttl.ShouldBe(600);
        plan.Zones.Single(z => z.Name == "maas").Ttl.ShouldBe(45);
    }

    [Fact]
    public void The_at_sign_names_the_domain_apex()
    {
        var example = new DnsDomainRow(4, "Example.com", true, null, false, []);
        var plan = Plan(
            domains: [Maas, example],
            resources: [new DnsResourceAddressRow("@", 4, null, IPAddress.Parse("192.0.2.1"))],
            data: [new DnsResourceDataRow("@", 4, "mx", "10 mail", null)]);

        Lines(plan, "example.com").ShouldBe(["example.com 30 A 192.0.2.1", "example.com 30 MX 10 mail.example.com."]);
    }

    [Fact]
    public void Relative_names_in_record_data_are_completed_with_the_domain()
    {
        var plan = Plan(data:
        [
            new DnsResourceDataRow("www", 0, "CNAME", "web", null),
            new DnsResourceDataRow("ext", 0, "CNAME", "Host.Example.COM.", null),
            new DnsResourceDataRow("@", 0, "MX", "10  mail", null),
            new DnsResourceDataRow("_http._tcp", 0, "SRV", "0 5 80 web", null),
            new DnsResourceDataRow("_none._tcp", 0, "SRV", "0 0 0 .", null),
            new DnsResourceDataRow("sub", 0, "NS", "ns1.example.net.", null),
            new DnsResourceDataRow("alias", 0, "CNAME", "@", null),
            new DnsResourceDataRow("note", 0, "TXT", "\"v=spf1 mx -all\"", null),
        ]);

        Lines(plan, "maas").ShouldBe(
        [
            "_http._tcp.maas 30 SRV 0 5 80 web.maas.",
            "_none._tcp.maas 30 SRV 0 0 0 .",
            "alias.maas 30 CNAME maas.",
            "ext.maas 30 CNAME host.example.com.",
            "maas 30 MX 10 mail.maas.",
            "note.maas 30 TXT \"v=spf1 mx -all\"",
            "sub.maas 30 NS ns1.example.net.",
            "www.maas 30 CNAME web.maas.",
        ]);
    }

    [Fact]
    public void Every_authoritative_domain_is_a_zone_even_when_empty_and_forwarded_domains_are_not()
    {
        var plan = Plan(domains:
        [
            Maas,
            new DnsDomainRow(1, "empty.lab", true, null, false, []),
            new DnsDomainRow(2, "corp.example", false, null, false, [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("192.0.2.54")]),
            new DnsDomainRow(3, "nowhere.example", false, null, false, []),
        ]);

        plan.Zones.Select(z => (z.Name, z.Kind)).ShouldBe([("empty.lab", DnsZoneKind.Forward), ("maas", DnsZoneKind.Forward)]);
        plan.Zones.Single(z => z.Name == "empty.lab").Records.ShouldBeEmpty();
        plan.ForwardZones.Single().Name.ShouldBe("corp.example");
        plan.ForwardZones.Single().Servers.ShouldBe([IPAddress.Parse("192.0.2.53"), IPAddress.Parse("192.0.2.54")]);
    }

    [Fact]
    public void Names_in_a_forwarded_domain_are_not_published_but_still_get_ptrs()
    {
        var plan = Plan(
            domains: [Maas, new DnsDomainRow(2, "corp.example", false, null, false, [IPAddress.Parse("192.0.2.53")])],
            subnets: [Subnet("10.0.0.0/24", 2)],
            nodes: [Node(1, "away", "eth0", boot: true, "10.0.0.9", domainId: 2)]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "0.0.10.in-addr.arpa"]);
        Lines(plan, "maas").ShouldBeEmpty();
        Lines(plan, "0.0.10.in-addr.arpa").ShouldBe(["9.0.0.10.in-addr.arpa 30 PTR away.corp.example."]);
    }

    [Fact]
    public void A_name_at_the_apex_of_a_child_domain_is_published_in_the_child_zone()
    {
        var plan = Plan(
            domains: [Maas, new DnsDomainRow(1, "rack.maas", true, null, false, [])],
            nodes: [Node(1, "rack", "eth0", boot: true, "10.0.0.2"), Node(2, "web", "eth0", boot: true, "10.0.0.3")]);

        Lines(plan, "maas").ShouldBe(["web.maas 30 A 10.0.0.3"]);
        Lines(plan, "rack.maas").ShouldBe(["rack.maas 30 A 10.0.0.2"]);
    }

    [Fact]
    public void A_slash_24_subnet_gets_a_ptr_for_every_name_of_an_address()
    {
        var plan = Plan(
            subnets: [Subnet("10.0.0.0/24", 1)],
            nodes: [Node(1, "web", "eth0", boot: true, "10.0.0.5")],
            resources: [new DnsResourceAddressRow("www", 0, 300, IPAddress.Parse("10.0.0.5"))]);

        Lines(plan, "0.0.10.in-addr.arpa").ShouldBe(
        [
            "5.0.0.10.in-addr.arpa 30 PTR web.maas.",
            "5.0.0.10.in-addr.arpa 30 PTR www.maas.",
        ]);
        plan.Zones.Single(z => z.Name == "0.0.10.in-addr.arpa").Kind.ShouldBe(DnsZoneKind.Reverse);
    }

    [Fact]
    public void A_slash_16_subnet_is_one_reverse_zone_holding_every_ptr_of_the_subnet()
    {
        var plan = Plan(
            subnets: [Subnet("172.16.0.0/16", 1)],
            nodes: [Node(1, "a", "eth0", boot: true, "172.16.3.4"), Node(2, "b", "eth0", boot: true, "172.16.200.1")]);

        Lines(plan, "16.172.in-addr.arpa").ShouldBe(
        [
            "1.200.16.172.in-addr.arpa 30 PTR b.maas.",
            "4.3.16.172.in-addr.arpa 30 PTR a.maas.",
        ]);
    }

    [Fact]
    public void A_slash_23_subnet_puts_each_ptr_in_its_slash_24_zone()
    {
        var plan = Plan(
            subnets: [Subnet("10.1.4.0/23", 2)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.1.4.10"), Node(2, "b", "eth0", boot: true, "10.1.5.20")]);

        Lines(plan, "4.1.10.in-addr.arpa").ShouldBe(["10.4.1.10.in-addr.arpa 30 PTR a.maas."]);
        Lines(plan, "5.1.10.in-addr.arpa").ShouldBe(["20.5.1.10.in-addr.arpa 30 PTR b.maas."]);
    }

    [Fact]
    public void A_slash_8_subnet_is_one_reverse_zone()
    {
        var plan = Plan(subnets: [Subnet("10.0.0.0/8", 1)], nodes: [Node(1, "a", "eth0", boot: true, "10.20.30.40")]);

        Lines(plan, "10.in-addr.arpa").ShouldBe(["40.30.20.10.in-addr.arpa 30 PTR a.maas."]);
    }

    [Fact]
    public void A_slash_26_in_mode_1_has_its_rfc2317_zone_and_no_glue()
    {
        var plan = Plan(subnets: [Subnet("10.0.0.64/26", 1)], nodes: [Node(1, "a", "eth0", boot: true, "10.0.0.70")]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "64-26.0.0.10.in-addr.arpa"]);
        Lines(plan, "64-26.0.0.10.in-addr.arpa").ShouldBe(["70.64-26.0.0.10.in-addr.arpa 30 PTR a.maas."]);
    }

    [Fact]
    public void A_slash_26_in_mode_2_gets_glue_in_the_parent_slash_24_for_the_addresses_in_use()
    {
        var plan = Plan(
            defaultTtl: 60,
            subnets: [Subnet("10.0.0.64/26", 2)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.0.0.70", addressTtl: 10), Node(2, "b", "eth0", boot: true, "10.0.0.71")]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "0.0.10.in-addr.arpa", "64-26.0.0.10.in-addr.arpa"]);
        Lines(plan, "64-26.0.0.10.in-addr.arpa").ShouldBe(
        [
            "70.64-26.0.0.10.in-addr.arpa 10 PTR a.maas.",
            "71.64-26.0.0.10.in-addr.arpa 60 PTR b.maas.",
        ]);
        Lines(plan, "0.0.10.in-addr.arpa").ShouldBe(
        [
            "70.0.0.10.in-addr.arpa 60 CNAME 70.64-26.0.0.10.in-addr.arpa.",
            "71.0.0.10.in-addr.arpa 60 CNAME 71.64-26.0.0.10.in-addr.arpa.",
        ]);
    }

    [Fact]
    public void The_glue_parent_is_not_duplicated_when_another_subnet_produces_that_zone()
    {
        var plan = Plan(
            subnets: [Subnet("10.0.0.64/26", 2), Subnet("10.0.0.128/26", 2), Subnet("10.0.0.0/24", 1)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.0.0.70"), Node(2, "b", "eth0", boot: true, "10.0.0.130"), Node(3, "c", "eth0", boot: true, "10.0.0.5")]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "0.0.10.in-addr.arpa", "128-26.0.0.10.in-addr.arpa", "64-26.0.0.10.in-addr.arpa"]);
        Lines(plan, "0.0.10.in-addr.arpa").ShouldBe(
        [
            "130.0.0.10.in-addr.arpa 30 CNAME 130.128-26.0.0.10.in-addr.arpa.",
            "5.0.0.10.in-addr.arpa 30 PTR c.maas.",
            "70.0.0.10.in-addr.arpa 30 CNAME 70.64-26.0.0.10.in-addr.arpa.",
        ]);
    }

    [Fact]
    public void Glue_goes_into_a_covering_slash_16_zone_instead_of_a_new_slash_24()
    {
        var plan = Plan(
            subnets: [Subnet("10.0.0.64/26", 2), Subnet("10.0.0.0/16", 1)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.0.0.70")]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "0.10.in-addr.arpa", "64-26.0.0.10.in-addr.arpa"]);
        Lines(plan, "0.10.in-addr.arpa").ShouldBe(["70.0.0.10.in-addr.arpa 30 CNAME 70.64-26.0.0.10.in-addr.arpa."]);
    }

    [Fact]
    public void An_ipv6_slash_64_gets_nibble_ptrs()
    {
        var plan = Plan(subnets: [Subnet("2001:db8::/64", 1)], nodes: [Node(1, "v6", "eth0", boot: true, "2001:db8::a5")]);

        Lines(plan, "0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa").ShouldBe(
            ["5.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa 30 PTR v6.maas."]);
        Lines(plan, "maas").ShouldBe(["v6.maas 30 AAAA 2001:db8::a5"]);
    }

    [Fact]
    public void An_ipv6_slash_126_in_mode_2_gets_a_classless_zone_and_glue_in_its_slash_124()
    {
        var plan = Plan(subnets: [Subnet("2001:db8::c/126", 2)], nodes: [Node(1, "p2p", "eth0", boot: true, "2001:db8::d")]);

        const string Parent = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
        Lines(plan, "c-126." + Parent).ShouldBe([$"d.c-126.{Parent} 30 PTR p2p.maas."]);
        Lines(plan, Parent).ShouldBe([$"d.{Parent} 30 CNAME d.c-126.{Parent}."]);
    }

    [Fact]
    public void Rdns_mode_0_makes_no_reverse_zone_and_keeps_its_addresses_out_of_a_covering_zone()
    {
        var plan = Plan(
            subnets: [Subnet("10.0.0.0/16", 1), Subnet("10.0.5.0/24", 0), Subnet("10.9.0.0/24", 0)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.0.5.1"), Node(2, "b", "eth0", boot: true, "10.0.6.1"), Node(3, "c", "eth0", boot: true, "10.9.0.1")]);

        plan.Zones.Select(z => z.Name).ShouldBe(["maas", "0.10.in-addr.arpa"]);
        Lines(plan, "0.10.in-addr.arpa").ShouldBe(["1.6.0.10.in-addr.arpa 30 PTR b.maas."]);
    }

    [Fact]
    public void A_more_specific_subnet_takes_its_addresses_out_of_the_bigger_zone()
    {
        var plan = Plan(
            subnets: [Subnet("10.0.0.0/16", 1), Subnet("10.0.5.0/24", 1)],
            nodes: [Node(1, "a", "eth0", boot: true, "10.0.5.1"), Node(2, "b", "eth0", boot: true, "10.0.6.1")]);

        Lines(plan, "0.10.in-addr.arpa").ShouldBe(["1.6.0.10.in-addr.arpa 30 PTR b.maas."]);
        Lines(plan, "5.0.10.in-addr.arpa").ShouldBe(["1.5.0.10.in-addr.arpa 30 PTR a.maas."]);
    }

    [Fact]
    public void Addresses_outside_every_subnet_get_no_ptr()
    {
        var plan = Plan(subnets: [Subnet("10.0.0.0/24", 1)], nodes: [Node(1, "a", "eth0", boot: true, "192.0.2.1")]);

        Lines(plan, "0.0.10.in-addr.arpa").ShouldBeEmpty();
        Lines(plan, "maas").ShouldBe(["a.maas 30 A 192.0.2.1"]);
    }

    [Fact]
    public void Identical_records_are_published_once_and_an_rrset_shares_its_lowest_ttl()
    {
        var plan = Plan(
            nodes: [Node(1, "web", "eth0", boot: true, "10.0.0.5", addressTtl: 300)],
            resources:
            [
                new DnsResourceAddressRow("web", 0, 60, IPAddress.Parse("10.0.0.5")),
                new DnsResourceAddressRow("web", 0, 90, IPAddress.Parse("10.0.0.6")),
            ]);

        Lines(plan, "maas").ShouldBe(["web.maas 60 A 10.0.0.5", "web.maas 60 A 10.0.0.6"]);
    }

    [Fact]
    public void Rows_of_unknown_domains_are_left_out()
    {
        var plan = Plan(
            nodes: [Node(1, "ghost", "eth0", boot: true, "10.0.0.5", domainId: 99)],
            resources: [new DnsResourceAddressRow("r", 99, null, IPAddress.Parse("10.0.0.6"))],
            data: [new DnsResourceDataRow("d", 99, "TXT", "x", null)]);

        plan.Zones.Single().Records.ShouldBeEmpty();
    }

    [Fact]
    public void The_plan_does_not_depend_on_the_order_of_nodes_domains_subnets_or_records()
    {
        DnsDomainRow[] domains = [Maas, new DnsDomainRow(1, "lab", true, 100, false, []), new DnsDomainRow(2, "fwd", false, null, false, [IPAddress.Parse("192.0.2.53")]), new DnsDomainRow(3, "afwd", false, null, false, [IPAddress.Parse("192.0.2.54")])];
        DnsSubnetRow[] subnets = [Subnet("10.0.0.0/24", 2), Subnet("10.0.1.64/26", 2), Subnet("2001:db8::/64", 1)];
        DnsNodeAddressRow[] nodes =
        [
            Node(1, "a", "eth0", boot: true, "10.0.0.1"),
            Node(1, "a", "eth1", boot: false, "10.0.1.70"),
            Node(2, "b", "eth0", boot: true, "2001:db8::2", domainId: 1),
            Node(3, "c", "eth0", boot: true, "10.0.0.3"),
        ];
        DnsResourceAddressRow[] resources = [new("x", 0, null, IPAddress.Parse("10.0.0.1")), new("y", 1, null, IPAddress.Parse("10.0.1.71"))];
        DnsResourceDataRow[] data = [new("x", 0, "TXT", "one", null), new("x", 0, "TXT", "two", null), new("z", 1, "CNAME", "x.maas.", null)];

        var forwards = Plan(domains: domains, subnets: subnets, nodes: nodes, resources: resources, data: data);
        var backwards = Plan(
            domains: [.. domains.Reverse()],
            subnets: [.. subnets.Reverse()],
            nodes: [.. nodes.GroupBy(n => n.NodeId).Reverse().SelectMany(g => g)],
            resources: [.. resources.Reverse()],
            data: [.. data.Reverse()]);

        Render(backwards).ShouldBe(Render(forwards));
        Render(forwards).ShouldContain("zone 0.0.10.in-addr.arpa");
        forwards.ForwardZones.Select(z => z.Name).ShouldBe(["afwd", "fwd"]);
    }

    private static DnsPlan Plan(
        int defaultTtl = 30,
        DnsDomainRow[]? domains = null,
        DnsSubnetRow[]? subnets = null,
        DnsNodeAddressRow[]? nodes = null,
        DnsResourceAddressRow[]? resources = null,
        DnsResourceDataRow[]? data = null) =>
        DnsZonePlanner.Plan(new DnsSnapshot(defaultTtl, domains ?? [Maas], subnets ?? [], nodes ?? [], resources ?? [], data ?? []));

    private static DnsNodeAddressRow Node(long id, string hostname, string iface, bool boot, string ip, long domainId = 0, int? addressTtl = null, bool discovered = false) =>
        new(id, hostname, domainId, addressTtl, iface, boot, IPAddress.Parse(ip), discovered);

    private static DnsSubnetRow Subnet(string cidr, int rdnsMode) => new(0, IPNetwork.Parse(cidr), rdnsMode);

    private static string[] Lines(DnsPlan plan, string zone) =>
        [.. plan.Zones.Single(z => z.Name == zone).Records.Select(r => $"{r.Name} {r.Ttl} {r.Type} {r.Data}")];

    private static string Render(DnsPlan plan) =>
        string.Join('\n', plan.Zones.SelectMany(z => new[] { $"zone {z.Name} {z.Kind} {z.Ttl}" }.Concat(z.Records.Select(r => $"{r.Name} {r.Ttl} {r.Type} {r.Data}"))))
        + "\n" + string.Join('\n', plan.ForwardZones.Select(f => $"forward {f.Name} {string.Join(',', f.Servers)}"));
}
