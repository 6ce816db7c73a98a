using System.Diagnostics;
using System.Text.Json.Nodes;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Anvil's installer (ephemeral/installer/) on this host, without a VM: against a stand-in region
/// (FakeMetadataServer) that serves an install config and records the status webhook, netboot_off
/// and signals; and its storage part on loop devices. Installs onto VMs through a real anvild are
/// LifecycleTests' (BIOS) and DeploymentTests' (UEFI).
/// </summary>
public sealed class InstallerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_deploying_machine_runs_the_installer_instead_of_scripts_and_a_missing_disk_fails_without_reboot()
    {
        await using var server = FakeMetadataServer.Start();
        var work = Directory.CreateTempSubdirectory("anvil-installer-hook-");
        try
        {
            var missing = $"NOSUCH{Guid.NewGuid():N}"[..20];
            server.InstallConfig = InstallConfig(server.BaseUrl, new JsonArray(Disk(missing, grub: true)), QemuVm.RandomMac(), "0000", 1).ToJsonString();
            server.QueueScripts(FakeMetadataServer.ScriptsTar("{}"));
            var powerAction = Path.Combine(work.FullName, "power-action");

            var result = await RunnerOnHost.RunAsync(server.NodePreseedUrl, QemuVm.RandomMac(), TimeSpan.FromSeconds(120), new Dictionary<string, string>
            {
                ["ANVIL_POWER_ACTION_FILE"] = powerAction,
                ["ANVIL_TARGET"] = Path.Combine(work.FullName, "target"),
            });
            var diagnostics = $"\n{result.Error}\n{result.Output}\n--- requests ---\n{string.Join('\n', server.Requests)}\n--- events ---\n{string.Join('\n', server.WebhookEvents)}";
            output.WriteLine(diagnostics);

            result.ExitCode.ShouldBe(1, diagnostics);
            server.Requests.ShouldNotContain(r => r.Contains("maas-scripts", StringComparison.Ordinal), diagnostics);
            server.WebhookEvents.Select(e => $"{e.EventType} {e.Name} {e.Result}".Trim()).ShouldBe(
                ["start cmd-install", "start cmd-install/stage-partitioning", "finish cmd-install/stage-partitioning FAIL", "finish cmd-install FAIL"], diagnostics);
            server.WebhookEvents.ShouldAllBe(e => e.Origin == "curtin" && e.Authorization.Contains($"oauth_token=\"{FakeMetadataServer.TokenKey}\"", StringComparison.Ordinal), diagnostics);
            server.WebhookEvents[^1].Description.ShouldContain(missing, customMessage: diagnostics);
            var failed = server.Signals.ShouldHaveSingleItem(diagnostics);
            failed.Status.ShouldBe("FAILED", diagnostics);
            failed.Field("error")!.ShouldContain("is not on this machine", customMessage: diagnostics);
            server.NetbootOffs.ShouldBeEmpty(diagnostics);
            (await File.ReadAllTextAsync(powerAction)).Trim().ShouldBe("poweroff", diagnostics);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The storage part alone on this host, on loop devices the test creates (paths, not serials):
    /// GPT with a bios_grub partition, ext4, xfs and btrfs, mounted shallowest first, fstab by UUID.
    /// (This host's kernel has no device mapper, md or FAT, so LVM, RAID and the ESP are proven on VMs.)
    /// </summary>
    [Fact]
    public async Task Storage_entries_are_applied_to_loop_devices_in_order_with_an_fstab_by_uuid()
    {
        var work = Directory.CreateTempSubdirectory("anvil-installer-storage-");
        var loops = new List<string>();
        try
        {
            foreach (var name in new[] { "a.img", "b.img" })
            {
                var file = Path.Combine(work.FullName, name);
                await using (var stream = File.Create(file))
                    stream.SetLength(1536L << 20);
                loops.Add((await HostCommand.RunAsync("losetup", "--find", "--partscan", "--show", file)).Output.Trim());
            }

            var storage = new JsonArray(
                new JsonObject { ["id"] = "a", ["type"] = "disk", ["path"] = loops[0], ["ptable"] = "gpt", ["wipe"] = "superblock", ["grub_device"] = true },
                Partition("a-part1", "a", 1, 1L << 20, "bios_grub", offset: 4L << 20),
                Partition("a-part2", "a", 2, 1000L << 20),
                Partition("a-part3", "a", 3, 400L << 20),
                new JsonObject { ["id"] = "b", ["type"] = "disk", ["path"] = loops[1], ["ptable"] = "gpt", ["wipe"] = "superblock" },
                Partition("b-part1", "b", 1, 1200L << 20, offset: 4L << 20),
                Format("a-part2", "ext4", "root"),
                Format("a-part3", "xfs", "srv"),
                Format("b-part1", "btrfs", "home"),
                Mount("b-part1", "/home"),
                Mount("a-part3", "/srv"),
                Mount("a-part2", "/"));
            var config = Path.Combine(work.FullName, "config.json");
            await File.WriteAllTextAsync(config, new JsonObject { ["storage"] = new JsonObject { ["version"] = 1, ["config"] = storage } }.ToJsonString());
            var scratch = Path.Combine(work.FullName, "work");

            var installer = Path.Combine(EphemeralImage.RepositoryRoot(), "ephemeral", "installer", "installer.sh");
            var info = new ProcessStartInfo("busybox") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "sh", installer, "--storage-only", config })
                info.ArgumentList.Add(argument);
            info.Environment["ANVIL_WORK"] = scratch;
            info.Environment["ANVIL_TARGET"] = Path.Combine(work.FullName, "target");
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            using (var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
                await process.WaitForExitAsync(cancel.Token);
            var log = await error;
            output.WriteLine(log);

            process.ExitCode.ShouldBe(0, log);
            var fstab = (await File.ReadAllLinesAsync(Path.Combine(scratch, "fstab"))).Select(l => l.Split(' ')).ToList();
            fstab.Select(f => (f[1], f[2], f[5])).ShouldBe([("/", "ext4", "1"), ("/home", "btrfs", "2"), ("/srv", "xfs", "2")], log);
            var devices = new[] { $"{loops[0]}p2", $"{loops[1]}p1", $"{loops[0]}p3" };
            for (var i = 0; i < devices.Length; i++)
                fstab[i][0].ShouldBe($"UUID={(await HostCommand.RunAsync("blkid", "-s", "UUID", "-o", "value", devices[i])).Output.Trim()}", log);
            var table = (await HostCommand.RunAsync("sgdisk", "-p", loops[0])).Output;
            output.WriteLine(table);
            table.ShouldMatch(@"\n\s+1\s+8192\s+10239\s+1024\.0 KiB\s+EF02", log);
            // Everything mounted was unmounted again.
            (await File.ReadAllTextAsync("/proc/mounts")).ShouldNotContain(work.FullName, customMessage: log);
        }
        finally
        {
            foreach (var loop in loops)
                await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "losetup", "-d", loop);
            work.Delete(recursive: true);
        }
    }

    private static JsonObject Disk(string serial, bool grub) =>
        new() { ["id"] = "vda", ["name"] = "vda", ["type"] = "disk", ["serial"] = serial, ["model"] = "QEMU", ["ptable"] = "gpt", ["wipe"] = "superblock", ["grub_device"] = grub };

    private static JsonObject Partition(string id, string device, int number, long size, string? flag = null, long? offset = null)
    {
        var partition = new JsonObject { ["id"] = id, ["type"] = "partition", ["device"] = device, ["number"] = number, ["size"] = $"{size}B", ["wipe"] = "superblock" };
        if (flag is not null)
            partition["flag"] = flag;
        if (offset is not null)
            partition["offset"] = $"{offset}B";
        return partition;
    }

    private static JsonObject Format(string volume, string fstype, string label) =>
        new() { ["id"] = $"{volume}_format", ["type"] = "format", ["volume"] = volume, ["fstype"] = fstype, ["label"] = label };

    private static JsonObject Mount(string volume, string path) =>
        new() { ["id"] = $"{volume}_mount", ["type"] = "mount", ["device"] = $"{volume}_format", ["path"] = path };

    private static JsonObject InstallConfig(string baseUrl, JsonArray storage, string mac, string sha256, long size) => new()
    {
        ["version"] = 1,
        ["system_id"] = FakeMetadataServer.SystemId,
        ["hostname"] = "node-1",
        ["fqdn"] = "node-1.maas",
        ["osystem"] = "debian",
        ["distro_series"] = "bookworm",
        ["storage"] = new JsonObject { ["version"] = 1, ["config"] = storage },
        ["image"] = new JsonObject { ["url"] = $"{baseUrl}/images/debian/amd64/generic/bookworm/root-tgz", ["filetype"] = "root-tgz", ["sha256"] = sha256, ["size"] = size },
        ["network"] = new JsonObject
        {
            ["version"] = 2,
            ["ethernets"] = new JsonObject
            {
                ["lan0"] = new JsonObject { ["match"] = new JsonObject { ["macaddress"] = mac }, ["set-name"] = "lan0", ["dhcp4"] = true },
            },
        },
        ["datasource"] = new JsonObject
        {
            ["metadata_url"] = $"{baseUrl}/MAAS/metadata/",
            ["consumer_key"] = FakeMetadataServer.ConsumerKey,
            ["token_key"] = FakeMetadataServer.TokenKey,
            ["token_secret"] = FakeMetadataServer.TokenSecret,
        },
        ["kernel_opts"] = "console=ttyS0",
        ["reporting_url"] = $"{baseUrl}/MAAS/metadata/status/{FakeMetadataServer.SystemId}",
    };
}
