using Anvil.Data.Ipam;
using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Ipam;

public sealed class IpAllocatorTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static int s_nextSubnet;

    private Database Db => fixture.Database.Database;

    [Fact]
    public async Task An_auto_address_has_no_owner_and_comes_from_the_smallest_free_range()
    {
        var (subnetId, cidr) = await CreateSubnetAsync();
        await AddRangeAsync(subnetId, "dynamic", At(cidr, 50), At(cidr, 254));

        var allocated = await Db.InTransactionAsync(
            (c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.AUTO, 1, null, null, Ct), Ct);

        allocated.Single().Ip.ShouldBe(IpAddress.Parse(At(cidr, 2)));
        var row = await Db.ReadAsync(
            c => c.QuerySingleAsync<(int, long?)>("SELECT alloc_type, user_id FROM staticipaddress WHERE id = @Id", new { allocated.Single().Id }), Ct);
        row.ShouldBe((0, (long?)null));
    }

    [Fact]
    public async Task An_allocation_that_loses_its_candidate_to_a_concurrent_transaction_takes_another_without_an_error()
    {
        var (subnetId, cidr) = await CreateSubnetAsync();
        await using var first = await fixture.Database.DataSource.OpenConnectionAsync(Ct);
        await using var firstTx = await first.BeginTransactionAsync(Ct);
        var firstIp = (await IpAllocator.Shared.AllocateAsync(first, firstTx, subnetId, IpAddressType.STICKY, 1, null, null, Ct)).Single().Ip;

        // The second reads the same free space, aims at the same address and waits on the first's row.
        var second = Db.InTransactionAsync((c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.STICKY, 1, null, null, Ct), Ct);
        await WaitUntilAnInsertWaitsOnALockAsync();
        await firstTx.CommitAsync(Ct);
        var secondIp = (await second.WaitAsync(TimeSpan.FromSeconds(30))).Single().Ip;

        firstIp.ShouldBe(IpAddress.Parse(At(cidr, 2)));
        secondIp.ShouldNotBe(firstIp);
        IpNetwork.Parse(cidr).HostRange.Contains(secondIp).ShouldBeTrue();
    }

    [Fact]
    public async Task Asking_for_more_than_the_free_space_is_unavailable_before_anything_is_written()
    {
        var (subnetId, cidr) = await CreateSubnetAsync();

        var refusal = await Should.ThrowAsync<UnavailableException>(() => Db.InTransactionAsync(
            (c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.USER_RESERVED, 255, null, null, Ct), Ct));

        refusal.Message.ShouldBe($"No more IPs available in subnet: {cidr}.");
        (await CountAsync(subnetId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_requested_address_may_be_inside_a_reserved_range_but_not_a_dynamic_one()
    {
        var (subnetId, cidr) = await CreateSubnetAsync();
        await AddRangeAsync(subnetId, "reserved", At(cidr, 10), At(cidr, 19));
        await AddRangeAsync(subnetId, "dynamic", At(cidr, 20), At(cidr, 29));

        await Db.InTransactionAsync(
            (c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.USER_RESERVED, 1, null, IpAddress.Parse(At(cidr, 15)), Ct), Ct);
        await Should.ThrowAsync<ForbiddenException>(() => Db.InTransactionAsync(
            (c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.USER_RESERVED, 1, null, IpAddress.Parse(At(cidr, 25)), Ct), Ct));
        await Db.InTransactionAsync(
            (c, tx) => IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.USER_RESERVED, 1, null, IpAddress.Parse(At(cidr, 25)), Ct, allowDynamicRange: true), Ct);

        (await CountAsync(subnetId)).ShouldBe(2);
    }

    [Fact]
    public async Task Release_clears_an_auto_address_but_keeps_its_link_and_deletes_other_addresses()
    {
        var (subnetId, _) = await CreateSubnetAsync();
        var (auto, reserved) = await Db.InTransactionAsync(
            async (c, tx) =>
            {
                var a = (await IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.AUTO, 1, null, null, Ct)).Single();
                var r = (await IpAllocator.Shared.AllocateAsync(c, tx, subnetId, IpAddressType.USER_RESERVED, 1, null, null, Ct)).Single();
                await IpAddressStore.LinkToMacAsync(c, tx, subnetId, "52:54:00:10:00:01", [a.Id], Ct);
                return (a, r);
            },
            Ct);

        await Db.InTransactionAsync((c, tx) => IpAllocator.ReleaseAsync(c, tx, [auto.Id, reserved.Id], Ct), Ct);

        var rows = await Db.ReadAsync(
            c => c.QueryAsync<(long, string?, long)>(
                "SELECT s.id, host(s.ip), (SELECT count(*) FROM interface_ip l WHERE l.staticipaddress_id = s.id) FROM staticipaddress s WHERE s.subnet_id = @subnetId",
                new { subnetId }),
            Ct);
        rows.ShouldBe([(auto.Id, null, 1L)]);
    }

    [Fact]
    public async Task Deployment_gives_each_auto_link_of_the_node_an_address_and_leaves_other_nodes_alone()
    {
        var (subnetId, cidr) = await CreateSubnetAsync();
        var (nodeId, links) = await CreateNodeWithAutoLinksAsync(subnetId, 3);
        var (_, otherLinks) = await CreateNodeWithAutoLinksAsync(subnetId, 1);

        var assigned = await Db.InTransactionAsync((c, tx) => IpAllocator.Shared.AssignAutoAddressesAsync(c, tx, nodeId, Ct), Ct);

        assigned.Select(a => a.Id).ShouldBe(links, ignoreOrder: true);
        assigned.Select(a => a.Ip.ToString()).ShouldBe([At(cidr, 2), At(cidr, 3), At(cidr, 4)], ignoreOrder: true);
        var rows = await Db.ReadAsync(
            c => c.QueryAsync<(long, string?)>("SELECT id, host(ip) FROM staticipaddress WHERE subnet_id = @subnetId ORDER BY id", new { subnetId }), Ct);
        rows.ShouldBe([.. assigned.Select(a => (a.Id, (string?)a.Ip.ToString())).OrderBy(r => r.Id), (otherLinks[0], null)]);
    }

    private async Task<(long NodeId, IReadOnlyList<long> Links)> CreateNodeWithAutoLinksAsync(long subnetId, int count) =>
        await Db.InTransactionAsync(
            async (c, tx) =>
            {
                var systemId = Guid.NewGuid().ToString("N")[..6];
                var nodeId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES (@systemId, @systemId, 0, 1) RETURNING id", new { systemId }, tx));
                var links = new List<long>();
                for (var i = 0; i < count; i++)
                {
                    links.Add(await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        """
                        WITH nic AS (INSERT INTO interface (node_id, name) VALUES (@nodeId, @name) RETURNING id),
                             link AS (INSERT INTO staticipaddress (alloc_type, subnet_id) VALUES (0, @subnetId) RETURNING id),
                             joined AS (INSERT INTO interface_ip SELECT nic.id, link.id FROM nic, link)
                        SELECT id FROM link
                        """,
                        new { nodeId, subnetId, name = $"eth{i}" },
                        tx)));
                }

                return (nodeId, (IReadOnlyList<long>)links);
            },
            Ct);

    private async Task WaitUntilAnInsertWaitsOnALockAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var waiting = await Db.ReadAsync(
                c => c.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO staticipaddress%'"),
                Ct);
            if (waiting > 0)
                return;
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task<(long Id, string Cidr)> CreateSubnetAsync()
    {
        var n = Interlocked.Increment(ref s_nextSubnet);
        var cidr = $"10.{n / 256}.{n % 256}.0/24";
        var id = await Db.InTransactionAsync(
            (c, tx) => c.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO subnet (name, vlan_id, cidr, gateway_ip) VALUES (@cidr, 5001, @cidr::cidr, @gateway::inet) RETURNING id",
                new { cidr, gateway = At(cidr, 1) },
                tx)),
            Ct);
        return (id, cidr);
    }

    private Task<int> AddRangeAsync(long subnetId, string type, string start, string end) =>
        Db.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO iprange (subnet_id, type, start_ip, end_ip) VALUES (@subnetId, @type, @start::inet, @end::inet)",
                new { subnetId, type, start, end },
                tx)),
            Ct);

    private Task<long> CountAsync(long subnetId) =>
        Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM staticipaddress WHERE subnet_id = @subnetId AND ip IS NOT NULL", new { subnetId }), Ct);

    private static string At(string cidr, uint offset) => IpNetwork.Parse(cidr).First.Add(offset).ToString();
}
