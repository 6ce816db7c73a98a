using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Anvil.Domain.Dns;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Bind;

/// <summary>A real named started from the configuration Anvil writes, queried with dig and updated with nsupdate.</summary>
public sealed class NamedServerTests
{
    [Fact]
    public async Task Each_zone_is_served_with_its_serial_timers_name_server_and_glue()
    {
        await using var lab = new NamedLab(withIpv6: true);
        lab.Write(NamedLab.Zones(
            NamedLab.Zone("maas", serial: 42, ttl: 45, nameServer: "anvil.maas", glue: [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::2")]),
            NamedLab.Zone("0.168.192.in-addr.arpa", serial: 7, nameServer: "anvil.maas"),
            NamedLab.Zone("64-26.0.0.10.in-addr.arpa", serial: 8, nameServer: "anvil.maas")));
        await lab.StartAsync();

        (await lab.DigAsync("maas", "SOA")).Answer.ShouldBe(["maas. 45 IN SOA maas. nobody.example.com. 42 600 1800 604800 45"]);
        (await lab.DigAsync("0.168.192.in-addr.arpa", "SOA")).Answer.ShouldBe(["0.168.192.in-addr.arpa. 30 IN SOA 0.168.192.in-addr.arpa. nobody.example.com. 7 600 1800 604800 30"]);
        (await lab.DigAsync("64-26.0.0.10.in-addr.arpa", "SOA", server: IPAddress.IPv6Loopback)).Answer
            .ShouldBe(["64-26.0.0.10.in-addr.arpa. 30 IN SOA 64-26.0.0.10.in-addr.arpa. nobody.example.com. 8 600 1800 604800 30"]);
        (await lab.DigAsync("maas", "NS")).Answer.ShouldBe(["maas. 45 IN NS anvil.maas."]);
        (await lab.DigAsync("anvil.maas", "A")).Answer.ShouldBe(["anvil.maas. 45 IN A 10.0.0.2"]);
        (await lab.DigAsync("anvil.maas", "AAAA")).Answer.ShouldBe(["anvil.maas. 45 IN AAAA 2001:db8::2"]);
        (await lab.DigAsync("0.168.192.in-addr.arpa", "NS")).Answer.ShouldBe(["0.168.192.in-addr.arpa. 30 IN NS anvil.maas."]);
    }

    [Fact]
    public async Task A_zone_added_after_reconfig_is_served_and_a_removed_one_is_refused_with_its_files_gone()
    {
        await using var lab = new NamedLab();
        var first = NamedLab.Zone("first.test");
        lab.Write(NamedLab.Zones(first));
        await lab.StartAsync();
        (await lab.DigAsync("second.test", "SOA")).Status.ShouldBe("REFUSED");

        var second = NamedLab.Zone("second.test", serial: 3);
        lab.Write(NamedLab.Zones(first, second)).ShouldBeTrue();
        lab.Write(NamedLab.Zones(first, second)).ShouldBeFalse();
        await lab.Rndc.ReconfigAsync(CancellationToken.None);
        (await lab.DigAsync("second.test", "SOA")).Answer.ShouldBe(["second.test. 30 IN SOA second.test. nobody.example.com. 3 600 1800 604800 30"]);

        // An update leaves a journal beside the zone file.
        (await lab.NsupdateAsync(lab.UpdateKeyFile, "zone second.test", "update add host.second.test 30 A 10.1.1.1")).ExitCode.ShouldBe(0);
        var zoneFile = Path.Combine(lab.Directory, "zones", "db.second.test");
        File.Exists(zoneFile + ".jnl").ShouldBeTrue();

        lab.Write(NamedLab.Zones(first)).ShouldBeTrue();
        await lab.Rndc.ReconfigAsync(CancellationToken.None);

        (await lab.DigAsync("second.test", "SOA")).Status.ShouldBe("REFUSED");
        (await lab.DigAsync("host.second.test", "A")).Status.ShouldBe("REFUSED");
        File.Exists(zoneFile).ShouldBeFalse();
        File.Exists(zoneFile + ".jnl").ShouldBeFalse();
        (await lab.DigAsync("first.test", "SOA")).Status.ShouldBe("NOERROR");
    }

    [Fact]
    public async Task A_dynamic_update_signed_with_the_update_key_is_applied()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas"), NamedLab.Zone("0.168.192.in-addr.arpa", nameServer: "ns.maas")));
        await lab.StartAsync();

        var forward = await lab.NsupdateAsync(lab.UpdateKeyFile, "zone maas", "update add node1.maas 30 A 192.168.0.10");
        var reverse = await lab.NsupdateAsync(lab.UpdateKeyFile, "zone 0.168.192.in-addr.arpa", "update add 10.0.168.192.in-addr.arpa 30 PTR node1.maas.");

        forward.ExitCode.ShouldBe(0, forward.Output + forward.Error);
        reverse.ExitCode.ShouldBe(0, reverse.Output + reverse.Error);
        (await lab.DigAsync("node1.maas", "A")).Answer.ShouldBe(["node1.maas. 30 IN A 192.168.0.10"]);
        (await lab.DigAsync("10.0.168.192.in-addr.arpa", "PTR")).Answer.ShouldBe(["10.0.168.192.in-addr.arpa. 30 IN PTR node1.maas."]);
    }

    [Fact]
    public async Task A_dynamic_update_signed_with_another_key_is_refused()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));
        await lab.StartAsync();
        var otherKeyFile = Path.Combine(lab.Directory, "other.key");
        var other = TsigKey.Generate("intruder");
        await File.WriteAllTextAsync(otherKeyFile, $"key \"{other.Name}\" {{ algorithm {other.BindAlgorithmName}; secret \"{other.SecretBase64}\"; }};\n");
        // The update key's name with a wrong secret fails too.
        var forgedKeyFile = Path.Combine(lab.Directory, "forged.key");
        var forged = new TsigKey(lab.Options.UpdateKey.Name, lab.Options.UpdateKey.Algorithm, RandomNumberGenerator.GetBytes(64));
        await File.WriteAllTextAsync(forgedKeyFile, $"key \"{forged.Name}\" {{ algorithm {forged.BindAlgorithmName}; secret \"{forged.SecretBase64}\"; }};\n");

        var withOther = await lab.NsupdateAsync(otherKeyFile, "zone maas", "update add intruder.maas 30 A 10.6.6.6");
        var withForged = await lab.NsupdateAsync(forgedKeyFile, "zone maas", "update add forged.maas 30 A 10.6.6.7");

        withOther.ExitCode.ShouldNotBe(0);
        withForged.ExitCode.ShouldNotBe(0);
        (await lab.DigAsync("intruder.maas", "A")).Status.ShouldBe("NXDOMAIN");
        (await lab.DigAsync("forged.maas", "A")).Status.ShouldBe("NXDOMAIN");
    }

    [Fact]
    public async Task Starting_on_a_port_that_is_taken_fails_with_named_s_reason_and_leaves_no_named()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, lab.Port));
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, lab.Port));
        tcp.Listen();

        var failure = await Should.ThrowAsync<NamedStartException>(lab.StartAsync());

        failure.Message.ShouldContain("unable to listen on any configured interfaces");
        NamedProcessesUsing(lab.Directory).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_configuration_named_rejects_fails_the_start_with_named_s_complaint()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));
        var namedConf = Path.Combine(lab.Directory, "named.conf");
        await File.WriteAllTextAsync(namedConf, (await File.ReadAllTextAsync(namedConf)).Replace("minimal-responses yes;", "no-such-option yes;", StringComparison.Ordinal));

        var failure = await Should.ThrowAsync<NamedStartException>(lab.StartAsync());

        failure.Message.ShouldContain("no-such-option");
    }

    [Fact]
    public async Task Queries_for_a_forwarded_domain_are_answered_by_its_server()
    {
        // The forwarded domain's server: another named, on port 53 (forwarders have no port) of a loopback address of its own.
        await using var alias = await LoopbackAlias.AddAsync();
        var upstreamAddress = alias.Address;
        await using var upstream = new NamedLab(upstreamAddress, port: 53);
        upstream.Write(NamedLab.Zones(NamedLab.Zone("fwd.test", nameServer: "ns.fwd.test", glue: [IPAddress.Parse("10.77.0.1")])));
        await upstream.StartAsync();
        (await upstream.NsupdateAsync(upstream.UpdateKeyFile, "zone fwd.test", "update add www.fwd.test 30 A 10.77.0.80")).ExitCode.ShouldBe(0);

        await using var lab = new NamedLab();
        // No validation: named must not go looking for the root trust anchor from a test.
        lab.Options = lab.Options with { DnssecValidation = "no" };
        lab.Write(NamedLab.Zones([NamedLab.Zone("maas")], new DnsForwardZone("fwd.test", [upstreamAddress])));
        await lab.StartAsync();

        var answer = await lab.DigAsync("www.fwd.test", "A", recurse: true);

        answer.Status.ShouldBe("NOERROR", answer.Text);
        answer.Answer.ShouldBe(["www.fwd.test. 30 IN A 10.77.0.80"]);
        (await lab.DigAsync("maas", "SOA")).Status.ShouldBe("NOERROR");
    }

    [Fact]
    public async Task Rndc_status_reports_the_running_named_and_throws_with_rndc_s_output_when_none_runs()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));

        var failure = await Should.ThrowAsync<RndcException>(lab.Rndc.StatusAsync(CancellationToken.None));
        failure.Message.ShouldContain("connection refused");

        await lab.StartAsync();
        var status = await lab.Rndc.StatusAsync(CancellationToken.None);
        status.ShouldContain("server is up and running");
        status.ShouldContain("number of zones:");
    }

    [Fact]
    public async Task Reload_of_a_zone_and_of_everything_succeeds_on_a_running_named()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));
        await lab.StartAsync();

        await lab.Rndc.ReloadAsync(null, CancellationToken.None);
        // A dynamic zone refuses a reload of its own while it is not frozen: rndc's complaint is passed on.
        var failure = await Should.ThrowAsync<RndcException>(lab.Rndc.ReloadAsync("maas", CancellationToken.None));
        failure.Message.ShouldContain("dynamic zone");
    }

    [Fact]
    public async Task Dispose_leaves_no_named_running()
    {
        await using var lab = new NamedLab();
        lab.Write(NamedLab.Zones(NamedLab.Zone("maas")));
        var server = await lab.StartAsync();
        var pid = server.ProcessId;
        NamedProcessesUsing(lab.Directory).ShouldBe([pid]);

        await server.DisposeAsync();

        server.HasExited.ShouldBeTrue();
        NamedProcessesUsing(lab.Directory).ShouldBeEmpty();
        (await lab.DigAsync("maas", "SOA")).Status.ShouldBe("NO RESPONSE");
    }

    /// <summary>The ids of live named processes whose command line names the directory.</summary>
    private static List<int> NamedProcessesUsing(string directory) =>
        [.. Process.GetProcessesByName("named")
            .Where(p => ReadCommandLine(p.Id).Contains(directory, StringComparison.Ordinal) && !IsZombie(p.Id))
            .Select(p => p.Id)];

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
