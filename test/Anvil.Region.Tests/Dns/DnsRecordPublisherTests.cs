using System.Net;
using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Anvil.Domain.Dns;
using Anvil.Region.Dns;
using Anvil.Testing;
using Anvil.Testing.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Dns;

/// <summary>The publisher against a real named: diffs, a takeover's read-back, and a record BIND refuses.</summary>
public sealed class DnsRecordPublisherTests : IAsyncLifetime
{
    private const string Zone = "pub.test";
    private readonly string directory = Directory.CreateTempSubdirectory("anvil-pubtest-").FullName;
    private readonly TsigKey key = TsigKey.Generate("anvil");
    private readonly int port = LocalPorts.FreeTcp();
    private NamedServer? named;

    private DnsOptions Options => new()
    {
        RegionName = "test",
        NamedDirectory = directory,
        Listen = [new IPEndPoint(IPAddress.Loopback, port)],
        ServerEndpoint = new IPEndPoint(IPAddress.Loopback, port),
        NameServerHost = "ns",
        NameServerAddresses = [IPAddress.Loopback],
    };

    public async Task InitializeAsync()
    {
        var options = new NamedOptions
        {
            Directory = directory,
            Listen = [new IPEndPoint(IPAddress.Loopback, port)],
            ControlPort = LocalPorts.FreeTcp(),
            UpdateKey = key,
            RndcKey = TsigKey.Generate("rndc-test"),
        };
        NamedConfigWriter.Write(options, new NamedZoneSet([new NamedZone(Zone, $"ns.{Zone}", [IPAddress.Loopback], 30)], []));
        named = await NamedServer.StartAsync(options, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (named is not null)
            await named.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Changes_go_out_as_differences_and_a_new_publisher_reads_the_zone_back_instead_of_resending_it()
    {
        var publisher = new DnsRecordPublisher(Options, TimeProvider.System, NullLogger<DnsRecordPublisher>.Instance);
        var first = await publisher.PublishAsync(Plan(("host1", "A", "10.0.0.1"), ("host2", "A", "10.0.0.2"), ("www", "CNAME", $"host1.{Zone}.")), key, [Endpoint], default);

        first.FailedServers.ShouldBeEmpty();
        first.ZonesTransferred.ShouldBe(1);
        first.Added.ShouldBe(3);
        (await Dig.ShortAsync(port, $"host2.{Zone}")).ShouldBe(["10.0.0.2"]);
        (await Dig.ShortAsync(port, $"www.{Zone}", "CNAME")).ShouldBe([$"host1.{Zone}."]);

        var second = await publisher.PublishAsync(Plan(("host1", "A", "10.0.0.9"), ("www", "CNAME", $"host1.{Zone}.")), key, [Endpoint], default);

        (second.Added, second.Deleted, second.ZonesTransferred).ShouldBe((1, 2, 0));
        (await Dig.ShortAsync(port, $"host1.{Zone}")).ShouldBe(["10.0.0.9"]);
        (await Dig.ShortAsync(port, $"host2.{Zone}")).ShouldBeEmpty();

        var takeover = new DnsRecordPublisher(Options, TimeProvider.System, NullLogger<DnsRecordPublisher>.Instance);
        var converged = await takeover.PublishAsync(Plan(("host1", "A", "10.0.0.9"), ("www", "CNAME", $"host1.{Zone}."), ("host3", "A", "10.0.0.3")), key, [Endpoint], default);

        (converged.Added, converged.Deleted, converged.ZonesTransferred).ShouldBe((1, 0, 1));
        (await Dig.ShortAsync(port, $"host3.{Zone}")).ShouldBe(["10.0.0.3"]);
    }

    [Fact]
    public async Task A_record_bind_refuses_does_not_keep_the_others_out()
    {
        var publisher = new DnsRecordPublisher(Options, TimeProvider.System, NullLogger<DnsRecordPublisher>.Instance);

        // An MX whose target lies in the zone but has no address: BIND refuses the message holding it.
        var result = await publisher.PublishAsync(Plan(("mail", "MX", $"10 nowhere.{Zone}."), ("good1", "A", "10.0.1.1"), ("good2", "A", "10.0.1.2")), key, [Endpoint], default);

        result.FailedServers.ShouldBeEmpty();
        (await Dig.ShortAsync(port, $"good1.{Zone}")).ShouldBe(["10.0.1.1"]);
        (await Dig.ShortAsync(port, $"good2.{Zone}")).ShouldBe(["10.0.1.2"]);
        (await Dig.ShortAsync(port, $"mail.{Zone}", "MX")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_wrong_key_fails_the_server_and_leaves_it_to_be_read_back()
    {
        var publisher = new DnsRecordPublisher(Options, TimeProvider.System, NullLogger<DnsRecordPublisher>.Instance);

        var result = await publisher.PublishAsync(Plan(("x", "A", "10.0.2.1")), TsigKey.Generate("anvil"), [Endpoint], default);

        result.FailedServers.ShouldBe([Endpoint]);
        publisher.AnyFailed.ShouldBeTrue();
        (await Dig.ShortAsync(port, $"x.{Zone}")).ShouldBeEmpty();
    }

    private string Endpoint => $"127.0.0.1:{port}";

    private static DnsPlan Plan(params (string Name, string Type, string Data)[] records) =>
        new([new DnsZonePlan(Zone, DnsZoneKind.Forward, 30, [.. records.Select(r => new DnsRecordPlan($"{r.Name}.{Zone}", r.Type, r.Data, 30))])], []);
}
