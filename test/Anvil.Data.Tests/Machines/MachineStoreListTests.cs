using Anvil.Data.Machines;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Data.Tests.Machines;

public sealed class MachineStoreListTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task ListAsync_gives_each_machine_its_own_tags_interfaces_disks_partitions_and_devices()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(database);

        var machines = await new MachineStore(database.Database).ListAsync(MachineQuery.AllMachines, Ct);

        machines.Select(m => m.SystemId).ShouldBe(["aaa001", "aaa002"]);
        var first = machines[0];
        first.TagNames.ShouldBe(["alpha", "beta"]);
        first.Interfaces.Select(i => (i.Name, i.MacAddress, i.Mtu)).ShouldBe([("eth0", "52:54:00:00:00:01", (int?)9000), ("eth1", null, null)]);
        first.Interfaces[0].Tags.ShouldBe(["sriov"]);
        first.BlockDevices.Select(d => d.Name).ShouldBe(["sda", "sdb"]);
        first.BlockDevices[0].Partitions.Select(p => p.Number).ShouldBe([1, 2]);
        first.BlockDevices[1].Partitions.ShouldBeEmpty();
        first.Devices.Select(d => d.VendorId).ShouldBe(["8086"]);
        first.ZoneName.ShouldBe("default");
        first.PoolName.ShouldBe("default");
        first.OwnerName.ShouldBeNull();
        first.HardwareInfo.ShouldContain("Dell");

        var second = machines[1];
        second.TagNames.ShouldBe(["beta"]);
        second.Interfaces.Select(i => i.Name).ShouldBe(["eno1"]);
        second.BlockDevices.ShouldBeEmpty();
        second.Devices.ShouldBeEmpty();
        second.PoolId.ShouldBeNull();
        second.ParentSystemId.ShouldBe("aaa001");
    }

    [Fact]
    public async Task ListAsync_narrowed_to_one_machine_loads_only_that_machines_related_rows()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(database);

        var machines = await new MachineStore(database.Database).ListAsync(new MachineQuery { SystemIds = ["aaa002"] }, Ct);

        machines.Count.ShouldBe(1);
        machines[0].TagNames.ShouldBe(["beta"]);
        machines[0].Interfaces.Select(i => i.Name).ShouldBe(["eno1"]);
    }

    [Fact]
    public async Task GetAsync_finds_a_node_of_any_type_and_ListAsync_of_machines_leaves_it_out()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(database);
        var store = new MachineStore(database.Database);

        (await store.GetAsync("dev001", Ct))!.Interfaces.Select(i => i.Name).ShouldBe(["usb0"]);
        (await store.ListAsync(MachineQuery.AllMachines, Ct)).ShouldNotContain(m => m.SystemId == "dev001");
    }

    private static async Task SeedAsync(TestDatabase database)
    {
        await using var c = await database.DataSource.OpenConnectionAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO tag (id, name) VALUES (1, 'beta'), (2, 'alpha');
            INSERT INTO node (id, system_id, hostname, node_type, domain_id, zone_id, pool_id, parent_id, hardware_info)
            VALUES (1, 'aaa001', 'one', 0, 0, 1, 0, NULL, '{"system_vendor": "Dell"}'),
                   (2, 'aaa002', 'two', 0, 0, 1, NULL, 1, '{}'),
                   (3, 'dev001', 'gadget', 1, 0, 1, NULL, NULL, '{}');
            INSERT INTO node_tag (node_id, tag_id) VALUES (1, 1), (1, 2), (2, 1);
            INSERT INTO interface (id, node_id, name, mac_address, mtu, tags) VALUES
                (10, 1, 'eth0', '52:54:00:00:00:01', 9000, '{sriov}'), (11, 1, 'eth1', NULL, NULL, '{}'),
                (12, 2, 'eno1', '52:54:00:00:00:02', NULL, '{}'), (13, 3, 'usb0', NULL, NULL, '{}');
            INSERT INTO blockdevice (id, node_id, name, size) VALUES (20, 1, 'sda', 1000000), (21, 1, 'sdb', 2000000);
            INSERT INTO partition (id, blockdevice_id, number, size) VALUES (31, 20, 2, 1000), (30, 20, 1, 1000);
            INSERT INTO node_device (node_id, bus, vendor_id, product_id) VALUES (1, 1, '8086', '1572');
            """);
    }
}
