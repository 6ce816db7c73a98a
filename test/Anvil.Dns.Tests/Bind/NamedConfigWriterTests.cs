using System.Net;
using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Anvil.Domain.Dns;
using Anvil.Testing.Network;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Bind;

public sealed class NamedConfigWriterTests
{
    public static TheoryData<string, string, bool, bool, bool, bool> Variants => new()
    {
        // dnssec, forwarders, trusted ACL, forward zones, IPv6 listen
        { "plain", "auto", false, false, false, false },
        { "forwarders", "auto", true, false, false, false },
        { "dnssec yes", "yes", true, false, false, false },
        { "dnssec no", "no", true, true, false, false },
        { "trusted acl", "auto", false, true, false, false },
        { "forward zones", "auto", false, false, true, false },
        { "ipv6 listen", "no", false, false, false, true },
        { "everything", "yes", true, true, true, true },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Named_checkconf_accepts_the_embedded_configuration(string variant, string dnssec, bool forwarders, bool trusted, bool forwardZones, bool ipv6)
    {
        await using var lab = new NamedLab(withIpv6: ipv6);
        lab.Options = Variant(lab.Options, dnssec, forwarders, trusted);
        lab.Write(SampleZones(forwardZones));

        var check = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(30), "named-checkconf", "-z", Path.Combine(lab.Directory, "named.conf"));

        check.ExitCode.ShouldBe(0, $"{variant}: {check.Output}{check.Error}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Named_checkconf_accepts_the_fragments_included_from_a_system_named(string variant, string dnssec, bool forwarders, bool trusted, bool forwardZones, bool ipv6)
    {
        await using var lab = new NamedLab(withIpv6: ipv6);
        lab.Options = Variant(lab.Options, dnssec, forwarders, trusted) with { Mode = NamedMode.System };
        lab.Write(SampleZones(forwardZones));
        // The operator's configuration, as the doc comment of NamedConfigWriter tells them to write it.
        var systemConf = Path.Combine(lab.Directory, "system-named.conf");
        await File.WriteAllTextAsync(systemConf, $$"""
            options {
                directory "{{lab.Directory}}";
                listen-on-v6 { any; };
                include "{{lab.Directory}}/named.conf.options.inside.anvil";
            };
            include "{{lab.Directory}}/named.conf.anvil";
            """);

        var check = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(30), "named-checkconf", "-z", systemConf);

        check.ExitCode.ShouldBe(0, $"{variant}: {check.Output}{check.Error}");
        File.Exists(Path.Combine(lab.Directory, "named.conf")).ShouldBeFalse();
    }

    [Fact]
    public async Task Recursion_is_off_without_forwarders_trusted_clients_or_forwarded_domains()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));

        var inside = await File.ReadAllTextAsync(Path.Combine(lab.Directory, "named.conf.options.inside.anvil"));

        inside.ShouldContain("recursion no;");
        inside.ShouldNotContain("forwarders");
    }

    [Fact]
    public async Task Recursion_is_allowed_only_to_localhost_local_networks_and_the_trusted_acl()
    {
        await using var lab = new NamedLab();
        lab.Options = lab.Options with { TrustedAcl = ["10.1.0.0/16", "192.168.5.5"], Forwarders = [IPAddress.Parse("10.0.0.53")] };
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));

        var inside = await File.ReadAllTextAsync(Path.Combine(lab.Directory, "named.conf.options.inside.anvil"));

        inside.ShouldContain("recursion yes;");
        inside.ShouldContain("allow-recursion { localhost; localnets; 10.1.0.0/16; 192.168.5.5; };");
        inside.ShouldContain("forwarders { 10.0.0.53; };");
        inside.ShouldContain("dnssec-validation auto;");
    }

    [Fact]
    public async Task Update_logging_goes_nowhere_and_zones_send_no_notifies()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));

        var namedConf = await File.ReadAllTextAsync(Path.Combine(lab.Directory, "named.conf"));
        var zones = await File.ReadAllTextAsync(Path.Combine(lab.Directory, "named.conf.anvil"));

        namedConf.ShouldContain("category update { null; };");
        namedConf.ShouldContain("category update-security { null; };");
        namedConf.ShouldContain("minimal-responses yes;");
        zones.ShouldContain("allow-update { key \"anvil-update\"; };");
        zones.ShouldContain("allow-transfer { key \"anvil-update\"; };");
        zones.ShouldContain("notify no;");
    }

    [Fact]
    public async Task Secrets_are_only_in_files_no_one_else_can_read()
    {
        await using var lab = new NamedLab();
        lab.Write(SampleZones(withForwards: true));

        foreach (var path in Directory.EnumerateFiles(lab.Directory, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(path);
            if (text.Contains(lab.Options.UpdateKey.SecretBase64, StringComparison.Ordinal) || text.Contains(lab.Options.RndcKey.SecretBase64, StringComparison.Ordinal))
                File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        }

        File.ReadAllText(lab.UpdateKeyFile).ShouldContain(lab.Options.UpdateKey.SecretBase64);
        File.ReadAllText(Path.Combine(lab.Directory, "rndc.conf")).ShouldContain(lab.Options.RndcKey.SecretBase64);
    }

    [Fact]
    public async Task Writing_the_same_set_again_reports_no_change_and_touches_no_file()
    {
        await using var lab = new NamedLab();
        var zones = SampleZones(withForwards: true);
        lab.Write(zones).ShouldBeTrue();
        var past = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var files = Directory.EnumerateFiles(lab.Directory, "*", SearchOption.AllDirectories).ToList();
        foreach (var path in files)
            File.SetLastWriteTimeUtc(path, past);

        // The same zones in another order and spelling are the same set.
        var again = new NamedZoneSet([.. zones.Primaries.Reverse().Select(z => z with { Name = z.Name.ToUpperInvariant() + "." })], zones.Forwards);
        lab.Write(again).ShouldBeFalse();

        Directory.EnumerateFiles(lab.Directory, "*", SearchOption.AllDirectories).Order().ShouldBe(files.Order());
        foreach (var path in files)
            File.GetLastWriteTimeUtc(path).ShouldBe(past, path);
    }

    [Fact]
    public async Task Removing_a_zone_deletes_its_file_and_journals_but_keeps_the_others()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("keep.test"), NamedLab.Zone("gone.test"))).ShouldBeTrue();
        var zoneDirectory = Path.Combine(lab.Directory, "zones");
        await File.WriteAllTextAsync(Path.Combine(zoneDirectory, "db.gone.test.jnl"), "journal");
        await File.WriteAllTextAsync(Path.Combine(zoneDirectory, "db.keep.test.jnl"), "journal");

        lab.Write(NamedLab.Zones(NamedLab.Zone("keep.test"))).ShouldBeTrue();

        Directory.EnumerateFiles(zoneDirectory).Select(Path.GetFileName).Order().ShouldBe(["db.keep.test", "db.keep.test.jnl"]);
        (await File.ReadAllTextAsync(Path.Combine(lab.Directory, "named.conf.anvil"))).ShouldNotContain("gone.test");
    }

    [Fact]
    public async Task An_existing_zone_file_is_never_rewritten()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas", serial: 5)));
        var path = Path.Combine(lab.Directory, "zones", "db.maas");
        await File.AppendAllTextAsync(path, "; named dumped this zone\n");

        lab.Write(NamedLab.Zones(NamedLab.Zone("maas", serial: 6))).ShouldBeFalse();

        (await File.ReadAllTextAsync(path)).ShouldContain("; named dumped this zone");
    }

    [Fact]
    public async Task A_new_zone_does_not_inherit_the_journal_of_an_earlier_zone_with_its_name()
    {
        await using var lab = new NamedLab();
        var zoneDirectory = Path.Combine(lab.Directory, "zones");
        Directory.CreateDirectory(zoneDirectory);
        await File.WriteAllTextAsync(Path.Combine(zoneDirectory, "db.maas.jnl"), "stale");
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas"))).ShouldBeTrue();

        File.Exists(Path.Combine(zoneDirectory, "db.maas.jnl")).ShouldBeFalse();
        File.Exists(Path.Combine(zoneDirectory, "db.maas")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("zone\"name")]
    [InlineData("a;b")]
    [InlineData("../etc")]
    [InlineData("a..b")]
    [InlineData("")]
    public async Task A_zone_name_that_could_break_the_configuration_is_refused(string name)
    {
        await using var lab = new NamedLab();

        Should.Throw<ArgumentException>(() => lab.Write(NamedLab.Zones(NamedLab.Zone("ok.test") with { Name = name })));
        Directory.Exists(lab.Directory).ShouldBeFalse();
    }

    [Fact]
    public async Task A_domain_both_served_and_forwarded_is_refused()
    {
        await using var lab = new NamedLab();

        Should.Throw<ArgumentException>(() => lab.Write(NamedLab.Zones([NamedLab.Zone("maas")], new DnsForwardZone("MAAS.", [IPAddress.Parse("10.0.0.1")]))))
            .Message.ShouldContain("maas");
    }

    [Fact]
    public async Task Options_named_cannot_take_are_refused_with_the_reason()
    {
        await using var lab = new NamedLab();
        var zones = NamedLab.Zones(NamedLab.Zone("maas"));

        Should.Throw<ArgumentException>(() => NamedConfigWriter.Write(lab.Options with { DnssecValidation = "maybe" }, zones)).Message.ShouldContain("auto, yes or no");
        Should.Throw<ArgumentException>(() => NamedConfigWriter.Write(lab.Options with { RndcKey = TsigKey.Generate("anvil-update") }, zones)).Message.ShouldContain("two names");
        Should.Throw<ArgumentException>(() => NamedConfigWriter.Write(lab.Options with { TrustedAcl = ["10.0.0.0/33"] }, zones)).Message.ShouldContain("10.0.0.0/33");
        Should.Throw<ArgumentException>(() => NamedConfigWriter.Write(lab.Options with { Directory = "relative/dir" }, zones)).Message.ShouldContain("absolute");
    }

    private static NamedOptions Variant(NamedOptions options, string dnssec, bool forwarders, bool trusted) => options with
    {
        DnssecValidation = dnssec,
        Forwarders = forwarders ? [IPAddress.Parse("10.0.0.53"), IPAddress.Parse("2001:db8::53")] : [],
        TrustedAcl = trusted ? ["10.20.0.0/16", "192.168.1.7", "2001:db8:1::/48"] : [],
    };

    private static NamedZoneSet SampleZones(bool withForwards) => new(
        [
            NamedLab.Zone("maas", nameServer: "anvil.maas", glue: [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::2")]),
            NamedLab.Zone("0.168.192.in-addr.arpa", nameServer: "anvil.maas"),
            NamedLab.Zone("64-26.0.0.10.in-addr.arpa", nameServer: "anvil.maas"),
        ],
        withForwards
            ? [new DnsForwardZone("corp.example", [IPAddress.Parse("10.5.5.5"), IPAddress.Parse("10.5.5.6")]), new DnsForwardZone("lab.example", [IPAddress.Parse("2001:db8::5")])]
            : []);
}
