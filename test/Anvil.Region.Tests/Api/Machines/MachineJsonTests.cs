using System.IO.Pipelines;
using System.Text.Json;
using Anvil.Data.Machines;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Machines;

public sealed class MachineJsonTests
{
    [Fact]
    public async Task WriteManyAsync_streams_exactly_the_bytes_Many_returns()
    {
        MachineView[] machines = [Machine(1), Machine(2), Machine(3)];
        var pipe = new Pipe();

        var writing = MachineJson.WriteManyAsync(machines, pipe.Writer, CancellationToken.None);
        var reading = ReadAllAsync(pipe.Reader);
        await writing;
        await pipe.Writer.CompleteAsync();

        (await reading).ShouldBe(MachineJson.Many(machines).ToArray());
    }

    [Fact]
    public void One_repeats_the_boot_disk_and_interface_as_listed_in_the_sets()
    {
        using var json = JsonDocument.Parse(MachineJson.One(Machine(7)));
        var root = json.RootElement;

        root.GetProperty("boot_interface").GetRawText().ShouldBe(root.GetProperty("interface_set")[0].GetRawText());
        root.GetProperty("boot_disk").GetRawText().ShouldBe(root.GetProperty("blockdevice_set")[1].GetRawText());
        root.GetProperty("physicalblockdevice_set").GetArrayLength().ShouldBe(1);
        root.GetProperty("physicalblockdevice_set")[0].GetRawText().ShouldBe(root.GetProperty("blockdevice_set")[1].GetRawText());
        root.GetProperty("blockdevice_set")[1].GetProperty("partitions")[0].GetProperty("path").GetString().ShouldBe("/dev/disk/by-dname/sda-part1");
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var bytes = new MemoryStream();
        await reader.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static MachineView Machine(int id)
    {
        var machine = new MachineView
        {
            Id = id,
            SystemId = $"abc{id:d3}",
            Hostname = $"node-{id}",
            DomainName = "maas",
            ZoneId = 1,
            ZoneName = "default",
            CpuCount = 4,
            Memory = 8192,
            HardwareInfo = """{"cpu_model": "Ünïcode \"quoted\" <b>"}""",
        };
        machine.TagNames.Add("tag-a");
        machine.Interfaces.Add(new InterfaceView { Id = id * 10, NodeId = id, Name = "eth0", MacAddress = "52:54:00:00:00:01", Tags = ["x"] });
        machine.Interfaces.Add(new InterfaceView { Id = (id * 10) + 1, NodeId = id, Name = "eth1" });
        machine.BlockDevices.Add(new BlockDeviceView { Id = id * 10, NodeId = id, Name = "vda", Type = "virtual", Size = 1000 });
        var boot = new BlockDeviceView { Id = (id * 10) + 1, NodeId = id, Name = "sda", Size = 4_000_000_000, IsBootDisk = true, Tags = ["ssd"] };
        boot.Partitions.Add(new PartitionView { Id = id, BlockdeviceId = boot.Id, Number = 1, Size = 1_000_000_000 });
        machine.BlockDevices.Add(boot);
        return machine;
    }
}
