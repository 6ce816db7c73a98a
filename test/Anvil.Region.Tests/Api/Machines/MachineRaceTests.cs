using System.Net;
using Anvil.Domain.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// Concurrent requests through the real HTTP pipeline against one database: a machine is never
/// given to two callers, and no caller is refused while a machine is still free.
/// </summary>
public sealed class MachineRaceTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task Fifty_concurrent_allocations_of_twenty_ready_machines_give_each_machine_to_exactly_one_caller()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var users = new List<TestUser>();
        for (var i = 0; i < 5; i++)
            users.Add(await host.CreateUserAsync());
        var pool = await _machines.NewPoolAsync();
        var ready = new List<string>();
        for (var i = 0; i < 20; i++)
            ready.Add(await _machines.CreateReadyAsync(admin, cpuCount: 1 + (i % 4), pool: pool));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            users[i % users.Count].Client.PostOpAsync("machines/", "allocate", ("pool", pool))));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(20, string.Join("\n", bodies.Where(b => !b.StartsWith('{')).Distinct()));
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(30);
        var won = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
            won.Add((await response.ShouldBeJsonAsync()).GetProperty("system_id").GetString()!);
        won.Distinct().Count().ShouldBe(20);
        won.Order().ShouldBe(ready.Order());
        var allocated = await host.Database.ReadAsync(
            c => c.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM node n JOIN resource_pool p ON p.id = n.pool_id
                WHERE p.name = @pool AND n.status = @status AND n.owner_id = ANY(@owners)
                """,
                new { pool, status = (int)NodeStatus.ALLOCATED, owners = users.Select(u => u.Id).ToArray() }),
            CancellationToken.None);
        allocated.ShouldBe(20);
    }

    [Fact]
    public async Task Ten_concurrent_deploys_of_one_ready_machine_let_exactly_one_succeed()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var users = new List<TestUser>();
        for (var i = 0; i < 3; i++)
            users.Add(await host.CreateUserAsync());
        var systemId = await _machines.CreateReadyAsync(admin);
        await TestImages.AddDefaultAsync(host.Database);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            users[i % users.Count].Client.PostOpAsync($"machines/{systemId}/", "deploy")));

        var succeeded = responses.Select((r, i) => (Response: r, User: users[i % users.Count])).Where(x => x.Response.StatusCode == HttpStatusCode.OK).ToList();
        succeeded.Count.ShouldBe(1);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict || r.StatusCode == HttpStatusCode.Forbidden);
        var row = await _machines.RowAsync(systemId);
        row.NodeStatus.ShouldBe(NodeStatus.DEPLOYING);
        row.OwnerId.ShouldBe(succeeded[0].User.Id);
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "Ready -> Allocated", "Allocated -> Deploying");
    }
}
