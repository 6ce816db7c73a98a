using Anvil.Data.Machines;

namespace Anvil.Benchmarks.Micro;

/// <summary>
/// In-memory machines shaped like the http mode's seeded ones (2 NICs, 2 disks with a partition
/// each, 3 tags, a zone and a pool), so the renderer is measured on realistic input without a database.
/// </summary>
internal static class SampleMachines
{
    private const string HardwareInfo =
        """{"system_vendor": "Dell Inc.", "system_product": "PowerEdge R640", "cpu_model": "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz", "mainboard_vendor": "Dell Inc."}""";

    public static IReadOnlyList<MachineView> Create(int count)
    {
        var machines = new List<MachineView>(count);
        for (var i = 1; i <= count; i++)
            machines.Add(CreateOne(i));
        return machines;
    }

    private static MachineView CreateOne(int i)
    {
        var deployed = i % 4 is 1 or 2;
        var machine = new MachineView
        {
            Id = i,
            SystemId = $"m{i:x5}",
            Hostname = $"bench-{i:d5}",
            NodeType = 0,
            Status = deployed ? 6 : 4,
            OwnerId = deployed ? 1 : null,
            OwnerName = deployed ? "admin" : null,
            DomainId = 0,
            DomainName = "maas",
            DomainAuthoritative = true,
            DomainIsDefault = true,
            ZoneId = 2 + (i % 3),
            ZoneName = $"rack-{(char)('a' + (i % 3))}",
            ZoneDescription = "bench zone",
            PoolId = i % 2,
            PoolName = i % 2 == 0 ? "default" : "compute",
            PoolDescription = "bench pool",
            Architecture = "amd64/generic",
            MinHweKernel = "",
            CpuCount = 8 << (i % 4),
            CpuSpeed = 2100,
            Memory = 16384 << (i % 4),
            Osystem = deployed ? "ubuntu" : "",
            DistroSeries = deployed ? "jammy" : "",
            HardwareUuid = $"4c4c4544-0000-4000-8000-{i:x12}",
            PowerType = "ipmi",
            PowerState = deployed ? "on" : "off",
            WorkloadAnnotations = deployed ? """{"team": "bench"}""" : "{}",
            HardwareInfo = HardwareInfo,
        };
        machine.TagNames.AddRange([$"tag-{i % 10}", $"tag-{(i + 3) % 10}", $"tag-{(i + 6) % 10}"]);
        for (var k = 0; k < 2; k++)
        {
            machine.Interfaces.Add(new InterfaceView
            {
                Id = (i * 2) + k,
                NodeId = i,
                Name = $"eth{k}",
                MacAddress = $"52:54:{((i * 2) + k) >> 24 & 0xff:x2}:{((i * 2) + k) >> 16 & 0xff:x2}:{((i * 2) + k) >> 8 & 0xff:x2}:{((i * 2) + k) & 0xff:x2}",
                Enabled = true,
                Mtu = 1500,
                Vendor = "Intel Corporation",
                Product = "Ethernet Controller X710",
                FirmwareVersion = "8.70",
                LinkConnected = true,
                InterfaceSpeed = 10000,
                LinkSpeed = 10000,
            });
            var disk = new BlockDeviceView
            {
                Id = (i * 2) + k,
                NodeId = i,
                Name = k == 0 ? "sda" : "sdb",
                Model = "SAMSUNG MZ7LH960",
                Serial = $"S4{i:d8}{k}",
                IdPath = $"/dev/disk/by-id/wwn-0x5002538e{i:x8}{k}",
                Size = 960_197_124_096,
                BlockSize = 512,
                Tags = ["ssd"],
                IsBootDisk = k == 0,
                FirmwareVersion = "HXT7404Q",
            };
            disk.Partitions.Add(new PartitionView
            {
                Id = (i * 2) + k,
                BlockdeviceId = disk.Id,
                Number = 1,
                Size = 960_000_000_000,
                Uuid = $"6f1c2a4e-0000-4000-8000-{(i * 2) + k:x12}",
            });
            machine.BlockDevices.Add(disk);
        }

        return machine;
    }
}
