using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;
using static Anvil.Region.Tests.Api.Storage.StorageSetup;

namespace Anvil.Region.Tests.Api.Storage;

/// <summary>Concurrent storage changes on one machine through the real HTTP pipeline: the node lock serialises them, so a disk is never over-committed.</summary>
public sealed class StorageRaceTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly StorageSetup _setup = new(host);

    [Fact]
    public async Task Two_concurrent_partitions_that_each_fit_alone_but_not_together_let_exactly_one_through()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.Client.PostAsync(Partitions(systemId, disks[0]), ("size", "12G"))));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest).ShouldBe(1);
        (await _setup.PartitionedBytesAsync(disks[0])).ShouldBeLessThan(20 * GB);
    }

    [Fact]
    public async Task Twelve_concurrent_partitions_fill_the_disk_and_never_more_with_distinct_numbers()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, disks) = await _setup.ReadyMachineAsync(admin, 20 * GB);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => admin.Client.PostAsync(Partitions(systemId, disks[0]), ("size", "2G"))));

        // 2G is 1996488704 bytes once aligned; 20 GB less the table's 6 MiB holds ten of them.
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(10, string.Join("\n", bodies));
        responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest).ShouldBe(2);
        var partitions = await (await admin.Client.GetAsync(Partitions(systemId, disks[0]))).ShouldBeJsonAsync();
        partitions.EnumerateArray().Select(p => p.GetProperty("path").GetString()).Distinct().Count().ShouldBe(10);
        (await _setup.PartitionedBytesAsync(disks[0])).ShouldBeLessThanOrEqualTo(20 * GB);
    }
}
