using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rack.Power;
using Anvil.Rpc;
using Anvil.Rpc.Contracts;
using Anvil.Server.Support;
using Anvil.Testing.Network;
using Anvil.Testing.Postgres;
using Dapper;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>A rack agent and regions in one process, over real sockets and a real database.</summary>
public sealed class RackLinkTests
{
    [Fact]
    public async Task A_rack_registers_with_its_interfaces_and_keeps_its_system_id_across_restarts()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var nic = await ClientLab.CreateAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-rack-{Guid.NewGuid():N}");
        string systemId;
        await using (var rack = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), [nic.ServerInterface], "rack-one", dataDir + "/x"))
        {
            await rack.WaitRegisteredAsync();
            systemId = rack.Agent.SystemId!;
        }

        await using (var again = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), [nic.ServerInterface], "rack-one", dataDir + "/x"))
        {
            await again.WaitRegisteredAsync();
            again.Agent.SystemId.ShouldBe(systemId);
        }

        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        var node = await c.QuerySingleAsync<(string Hostname, int NodeType, string Version)>(
            "SELECT hostname, node_type, controller_version FROM node WHERE system_id = @systemId", new { systemId });
        node.Hostname.ShouldBe("rack-one");
        node.NodeType.ShouldBe(2);
        node.Version.ShouldNotBeEmpty();
        var address = await c.QuerySingleAsync<string>(
            "SELECT host(a.ip) FROM interface i JOIN interface_ip l ON l.interface_id = i.id JOIN staticipaddress a ON a.id = l.staticipaddress_id JOIN node n ON n.id = i.node_id WHERE n.system_id = @systemId AND i.name = @name",
            new { systemId, name = nic.ServerInterface });
        address.ShouldBe(nic.ServerAddress);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM node WHERE node_type = 2")).ShouldBe(1);
    }

    [Fact]
    public async Task A_rack_with_the_wrong_secret_never_registers()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var rack = await RackHarness.StartAsync([region.Url], SharedSecret.Generate(), ["none"]);

        await Task.Delay(1500);

        rack.Agent.IsRegistered.ShouldBeFalse();
        rack.Agent.Links.IsConnected.ShouldBeFalse();
        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM node WHERE node_type IN (2, 4)")).ShouldBe(0);
    }

    [Fact]
    public async Task The_primary_rack_of_a_dhcp_vlan_gets_its_subnet_ranges_and_hosts()
    {
        await using var served = await ServedRack.StartAsync();
        var (region, nic, rack, prefix) = (served.Region, served.Nic, served.Rack, served.Prefix);

        await rack.Agent.RefreshConfigNowAsync(CancellationToken.None);

        var config = rack.LastConfig.ShouldNotBeNull();
        var subnet = config.Subnets.ShouldHaveSingleItem();
        subnet.Interface.ShouldBe(nic.ServerInterface);
        subnet.ServerAddress.ToString().ShouldBe(nic.ServerAddress);
        subnet.Cidr.ToString().ShouldBe(nic.Subnet.Cidr);
        subnet.DynamicRanges.ShouldHaveSingleItem().ShouldBe(new IpRange(IpAddress.Parse($"{prefix}.100"), IpAddress.Parse($"{prefix}.199")));
        subnet.DomainName.ShouldBe("maas");
        config.PxeLeaseSeconds.ShouldBe(30);
        config.DefaultLeaseSeconds.ShouldBe(600);
    }

    [Fact]
    public async Task The_secondary_rack_serves_only_once_the_primary_is_dead()
    {
        await using var served = await ServedRack.StartAsync();
        var (region, primary, prefix, vlan) = (served.Region, served.Rack, served.Prefix, served.Vlan);
        // A second rack on the same VLAN, named as its secondary.
        await using var secondary = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), ["none"]);
        await secondary.WaitRegisteredAsync();
        await using (var c = await region.Database.DataSource.OpenConnectionAsync())
        {
            await c.ExecuteAsync(
                "INSERT INTO interface (node_id, name, type, mac_address, vlan_id) SELECT id, 'eth9', 'physical', '02:00:00:aa:bb:01', @vlan FROM node WHERE system_id = @id",
                new { vlan, id = secondary.Agent.SystemId });
            await c.ExecuteAsync(
                """
                WITH a AS (INSERT INTO staticipaddress (ip, alloc_type, subnet_id) SELECT @ip::inet, 1, s.id FROM subnet s WHERE s.vlan_id = @vlan RETURNING id)
                INSERT INTO interface_ip (interface_id, staticipaddress_id) SELECT i.id, a.id FROM a, interface i WHERE i.name = 'eth9'
                """,
                new { vlan, ip = $"{prefix}.2" });
            await c.ExecuteAsync("UPDATE vlan SET secondary_rack_id = (SELECT id FROM node WHERE system_id = @id) WHERE id = @vlan", new { vlan, id = secondary.Agent.SystemId });
        }

        await secondary.Agent.RefreshConfigNowAsync(CancellationToken.None);
        (secondary.LastConfig?.Subnets ?? []).ShouldBeEmpty();

        await using (var c = await region.Database.DataSource.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE node SET last_seen = now() - interval '10 minutes' WHERE system_id = @id", new { id = primary.Agent.SystemId });
        await secondary.Agent.RefreshConfigNowAsync(CancellationToken.None);

        var takenOver = secondary.LastConfig.ShouldNotBeNull().Subnets.ShouldHaveSingleItem();
        takenOver.Interface.ShouldBe("eth9");
        takenOver.ServerAddress.ToString().ShouldBe($"{prefix}.2");
    }

    [Fact]
    public async Task Lease_events_reach_the_region_in_batches()
    {
        await using var served = await ServedRack.StartAsync();
        var (region, nic, rack, prefix) = (served.Region, served.Nic, served.Rack, served.Prefix);

        for (var i = 0; i < 150; i++)
            rack.Agent.Leases.Report(new LeaseEvent(LeaseAction.Commit, IpFamily.V4, $"02:00:00:00:{i / 256:x2}:{i % 256:x2}", $"{prefix}.{100 + (i % 100)}", null, DateTimeOffset.UtcNow, 600));

        await RackHarness.WaitUntilAsync(() => rack.Agent.Leases.Count == 0, "the queue to drain");
        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM interface WHERE type = 'unknown' AND mac_address::text LIKE '02:00:00:00:%'")).ShouldBe(150);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM staticipaddress WHERE alloc_type = 6 AND ip IS NOT NULL")).ShouldBe(100);
        rack.Agent.Metrics.Value("anvil_leases_sent_total").ShouldBe(150);
    }

    [Fact]
    public async Task Without_a_region_leases_wait_in_the_queue_and_arrive_when_it_is_back()
    {
        await using var served = await ServedRack.StartAsync();
        var (region, nic, rack, prefix) = (served.Region, served.Nic, served.Rack, served.Prefix);
        await rack.Agent.RefreshConfigNowAsync(CancellationToken.None);

        await region.StopAsync();
        rack.Agent.Leases.Report(new LeaseEvent(LeaseAction.Commit, IpFamily.V4, "02:00:00:00:77:01", $"{prefix}.150", "offline-client", DateTimeOffset.UtcNow, 600));
        await RackHarness.WaitUntilAsync(() => rack.Agent.Metrics.Value("anvil_lease_flush_failures_total") > 0, "a failed flush");
        rack.Agent.Leases.Count.ShouldBe(1);
        rack.LastConfig.ShouldNotBeNull().Subnets.Count.ShouldBe(1);

        await region.StartAsync();

        await RackHarness.WaitUntilAsync(() => rack.Agent.Leases.Count == 0, "the queue to drain");
        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        (await c.ExecuteScalarAsync<string>(
            "SELECT host(a.ip) FROM staticipaddress a JOIN interface_ip l ON l.staticipaddress_id = a.id JOIN interface i ON i.id = l.interface_id WHERE i.mac_address = '02:00:00:00:77:01'"))
            .ShouldBe($"{prefix}.150");
    }

    [Fact]
    public async Task A_rack_fails_over_to_another_region_it_learned_at_registration()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var first = await LinkedRegion.StartAsync(database);
        await using var second = await LinkedRegion.StartAsync(database);
        await RackHarness.WaitForAsync(
            async () =>
            {
                await using var c = await first.Database.DataSource.OpenConnectionAsync();
                return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM region_endpoint") == 2 ? "both" : null;
            },
            "both regions to announce themselves");
        await using var rack = await RackHarness.StartAsync([first.Url], await first.SecretAsync(), ["none"]);
        await rack.WaitRegisteredAsync();
        await RackHarness.WaitUntilAsync(() => rack.Agent.Links.OpenLinks.GetValueOrDefault(second.Url.TrimEnd('/')) > 0, "a link to the second region");

        await first.StopAsync();
        var pong = await rack.Agent.Links.CallAsync<PingResponse>(LinkMethods.Ping, new PingRequest(rack.Agent.SystemId), CancellationToken.None);

        pong.Time.ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
        second.Racks.IsConnected(rack.Agent.SystemId!).ShouldBeTrue();
    }

    [Fact]
    public async Task The_region_calls_the_rack_over_the_link_the_rack_opened()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var rack = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), ["none"]);
        await rack.WaitRegisteredAsync();

        var pong = await region.Racks.CallAsync<PingResponse>(rack.Agent.SystemId!, LinkMethods.Ping, new PingRequest(null), CancellationToken.None);

        pong.Time.ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
        await Should.ThrowAsync<LinkException>(region.Racks.CallAsync<PingResponse>("nosuch", LinkMethods.Ping, new PingRequest(null), CancellationToken.None));
    }

    [Fact]
    public async Task The_region_runs_power_actions_on_the_rack_and_sees_their_failures()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var rack = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), ["none"]);
        rack.Agent.Power = new PowerActions(new PowerDriverRegistry([new ManualPowerDriver()]), TimeSpan.FromSeconds(5));
        await rack.WaitRegisteredAsync();
        var id = rack.Agent.SystemId!;

        var manual = await region.Racks.CallAsync<PowerResponse>(id, LinkMethods.Power, new PowerRequest("m1", "on", "manual", new Dictionary<string, string>()), CancellationToken.None);
        var unknownType = await Should.ThrowAsync<LinkCallException>(
            region.Racks.CallAsync<PowerResponse>(id, LinkMethods.Power, new PowerRequest("m1", "on", "carrier-pigeon", new Dictionary<string, string>()), CancellationToken.None));
        var badAction = await Should.ThrowAsync<LinkCallException>(
            region.Racks.CallAsync<PowerResponse>(id, LinkMethods.Power, new PowerRequest("m1", "explode", "manual", new Dictionary<string, string>()), CancellationToken.None));

        manual.State.ShouldBe("unknown");
        unknownType.Error.Kind.ShouldBe("power_not_supported");
        unknownType.Error.Message.ShouldContain("carrier-pigeon");
        badAction.Error.Kind.ShouldBe("power_invalid_parameters");
    }

    [Fact]
    public async Task Services_the_rack_reports_are_stored_for_the_api()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var rack = await RackHarness.StartAsync([region.Url], await region.SecretAsync(), ["none"]);
        rack.Agent.Services = () => [new ServiceStatusDto("dhcpd", "running", ""), new ServiceStatusDto("tftp", "dead", "port 69 in use")];
        await rack.WaitRegisteredAsync();

        await rack.Agent.ReportServicesNowAsync(CancellationToken.None);

        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        var rows = (await c.QueryAsync<(string Name, string Status, string Info)>(
            "SELECT s.name, s.status, s.status_info FROM service s JOIN node n ON n.id = s.node_id WHERE n.system_id = @id ORDER BY s.name",
            new { id = rack.Agent.SystemId })).ToList();
        rows.ShouldBe([("dhcpd", "running", ""), ("rackd", "running", ""), ("tftp", "dead", "port 69 in use")]);
    }

    private static Task<long> EnableDhcpAsync(LinkedRegion region, string rackSystemId, ClientLab nic, string start, string end) =>
        EnableDhcpAsync(region, rackSystemId, nic.ServerAddress, start, end);

    /// <summary>Turns DHCP on for the VLAN of the subnet holding the rack's address, with one dynamic range; returns the VLAN id.</summary>
    internal static async Task<long> EnableDhcpAsync(LinkedRegion region, string rackSystemId, string rackAddress, string start, string end)
    {
        await using var c = await region.Database.DataSource.OpenConnectionAsync();
        var (vlan, subnet) = await c.QuerySingleAsync<(long, long)>(
            "SELECT s.vlan_id, s.id FROM subnet s WHERE s.cidr >>= @ip::inet", new { ip = rackAddress });
        await c.ExecuteAsync("INSERT INTO iprange (subnet_id, type, start_ip, end_ip) VALUES (@subnet, 'dynamic', @start::inet, @end::inet)", new { subnet, start, end });
        await c.ExecuteAsync(
            "UPDATE vlan SET dhcp_on = true, primary_rack_id = (SELECT id FROM node WHERE system_id = @rackSystemId) WHERE id = @vlan", new { vlan, rackSystemId });
        return vlan;
    }

    /// <summary>A region, and a rack registered with a veth address whose VLAN has DHCP on with the range .100–.199.</summary>
    private sealed class ServedRack : IAsyncDisposable
    {
        private TestDatabase? database;

        public LinkedRegion Region { get; private set; } = null!;

        public ClientLab Nic { get; private set; } = null!;

        public RackHarness Rack { get; private set; } = null!;

        /// <summary>The first three octets of the rack's address, e.g. <c>10.201.7</c>.</summary>
        public string Prefix => Nic.ServerAddress[..Nic.ServerAddress.LastIndexOf('.')];

        public long Vlan { get; private set; }

        public static async Task<ServedRack> StartAsync()
        {
            var served = new ServedRack { database = await TestPostgres.CreateDatabaseAsync() };
            served.Region = await LinkedRegion.StartAsync(served.database);
            served.Nic = await ClientLab.CreateAsync();
            served.Rack = await RackHarness.StartAsync([served.Region.Url], await served.Region.SecretAsync(), [served.Nic.ServerInterface]);
            await served.Rack.WaitRegisteredAsync();
            served.Vlan = await EnableDhcpAsync(served.Region, served.Rack.Agent.SystemId!, served.Nic, $"{served.Prefix}.100", $"{served.Prefix}.199");
            return served;
        }

        public async ValueTask DisposeAsync()
        {
            await Rack.DisposeAsync();
            await Nic.DisposeAsync();
            await Region.DisposeAsync();
            if (database is not null)
                await database.DisposeAsync();
        }
    }
}
