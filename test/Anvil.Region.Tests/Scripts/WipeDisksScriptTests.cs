using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

/// <summary>
/// The built-in <c>wipe-disks</c> release script under busybox sh, against a fake sysfs whose
/// "disks" are regular files below a fake /dev (never a real device).
/// </summary>
public sealed class WipeDisksScriptTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string root = Directory.CreateTempSubdirectory("anvil-wipe-").FullName;

    [Fact]
    public void Quick_erase_zeroes_the_first_and_last_two_MiB_and_leaves_the_middle()
    {
        var disk = AddDisk("vda", 16);

        var result = Run("--quick_erase=true", "--secure_erase=false");

        result.ExitCode.ShouldBe(0, result.ToString());
        var bytes = File.ReadAllBytes(disk);
        bytes.AsSpan(0, 2 * MiB).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        bytes.AsSpan(14 * MiB, 2 * MiB).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        bytes.AsSpan(2 * MiB, 12 * MiB).IndexOfAnyExcept((byte)0).ShouldNotBe(-1);
        result.Stdout.ShouldContain("vda erased (quick)");
    }

    [Fact]
    public void Without_quick_erase_every_byte_of_every_disk_is_zeroed_and_loop_devices_are_left_alone()
    {
        var first = AddDisk("vda", 8);
        var second = AddDisk("sdb", 4);
        var loop = AddDisk("loop0", 4);

        var result = Run("--quick_erase=false", "--secure_erase=false");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllBytes(first).AsSpan().IndexOfAnyExcept((byte)0).ShouldBe(-1);
        File.ReadAllBytes(second).AsSpan().IndexOfAnyExcept((byte)0).ShouldBe(-1);
        File.ReadAllBytes(loop).AsSpan().IndexOfAnyExcept((byte)0).ShouldNotBe(-1);
        File.ReadAllText(Path.Combine(root, "result.yaml")).ShouldContain("vda: full");
    }

    [Fact]
    public void Secure_erase_on_a_disk_without_discard_falls_back_to_quick_erase_when_asked_for()
    {
        var disk = AddDisk("vda", 8);

        var result = Run("--quick_erase=true", "--secure_erase=true");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllBytes(disk).AsSpan(0, 2 * MiB).IndexOfAnyExcept((byte)0).ShouldBe(-1);
        result.Stdout.ShouldContain("vda erased (quick)");
    }

    private string AddDisk(string name, int mib)
    {
        var block = Directory.CreateDirectory(Path.Combine(root, "sys", "block", name)).FullName;
        File.WriteAllText(Path.Combine(block, "size"), $"{(long)mib * MiB / 512}\n");
        File.WriteAllText(Path.Combine(block, "removable"), "0\n");
        var dev = Directory.CreateDirectory(Path.Combine(root, "dev")).FullName;
        var path = Path.Combine(dev, name);
        var content = new byte[mib * MiB];
        new Random(mib).NextBytes(content);
        File.WriteAllBytes(path, content);
        return path;
    }

    private ShellResult Run(params string[] args)
    {
        using var shell = new BusyboxShell();
        return shell.RunScript("wipe-disks", args, new Dictionary<string, string>
        {
            ["SYSFS"] = Path.Combine(root, "sys"),
            ["DEVFS"] = Path.Combine(root, "dev"),
            ["RESULT_PATH"] = Path.Combine(root, "result.yaml"),
        });
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
