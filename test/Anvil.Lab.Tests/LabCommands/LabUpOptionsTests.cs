using Xunit;

namespace Anvil.Lab.LabCommands;

public sealed class LabUpOptionsTests
{
    [Fact]
    public void Parse_reads_every_option()
    {
        var options = LabUpOptions.Parse(["--machines", "3", "--uefi", "1", "--state-dir", "/srv/lab", "--anvild", "/opt/anvild", "--disk-gib", "4", "--memory-mib", "512", "--commission", "true", "--ephemeral", "/var/cache/e"]);

        options.ShouldBe(new LabUpOptions { Machines = 3, Uefi = 1, StateDirectory = "/srv/lab", Anvild = "/opt/anvild", DiskGiB = 4, MemoryMiB = 512, Commission = true, Ephemeral = "/var/cache/e" });
    }

    [Fact]
    public void Parse_without_options_gives_two_bios_machines_in_var_lib()
    {
        var options = LabUpOptions.Parse([]);

        options.Machines.ShouldBe(2);
        options.Uefi.ShouldBe(0);
        options.StateDirectory.ShouldBe("/var/lib/anvil-lab");
        options.Commission.ShouldBeFalse();
    }

    [Theory]
    [InlineData("--uefi", "3")]
    [InlineData("--machines", "many")]
    [InlineData("--machine", "1")]
    public void Parse_rejects_bad_options(string name, string value) =>
        Should.Throw<ArgumentException>(() => LabUpOptions.Parse(["--machines", "2", name, value]));

    [Fact]
    public void The_lab_names_come_from_the_state_directory_and_fit_linux_interface_names()
    {
        var lab = LabState.ForDirectory("/srv/lab-a", "10.250.7");
        var other = LabState.ForDirectory("/srv/lab-b", "10.250.7");

        lab.NetNamespace.ShouldNotBe(other.NetNamespace);
        lab.HostVeth.ShouldNotBe(other.HostVeth);
        lab.HostVeth.Length.ShouldBeLessThanOrEqualTo(15);
        LabState.ForDirectory("/srv/lab-a", "10.250.9").NetNamespace.ShouldBe(lab.NetNamespace);
    }
}
