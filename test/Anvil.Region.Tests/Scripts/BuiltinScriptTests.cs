using System.Text.Json.Nodes;
using Anvil.Domain.Scripts;
using Shouldly;
using Xunit;

namespace Anvil.Region.Scripts;

public sealed class BuiltinScriptTests
{
    [Fact]
    public void The_commissioning_and_testing_builtins_ship_with_their_metadata()
    {
        var scripts = BuiltinScript.LoadAll().ToDictionary(s => s.Name);

        scripts.Keys.ShouldBe(
        [
            "20-maas-03-machine-resources", "30-maas-01-bmc-config", "fio", "maas-capture-lldpd", "maas-kernel-cmdline", "maas-list-modaliases",
            "maas-lshw", "memtester", "smartctl-validate", "stress-ng-cpu-short", "stress-ng-memory-short", "wipe-disks",
        ], ignoreOrder: true);
        scripts.Values.Where(s => s.ScriptType == ScriptType.Commissioning).Select(s => s.Name).ShouldBe(
            ["20-maas-03-machine-resources", "30-maas-01-bmc-config", "maas-capture-lldpd", "maas-kernel-cmdline", "maas-list-modaliases", "maas-lshw"]);
        // Erasing a large disk with zeros takes as long as it takes: wipe-disks alone has no timeout.
        scripts.Values.ShouldAllBe(s => (s.TimeoutSeconds > 0 || s.Name == "wipe-disks") && s.Title.Length > 0 && s.Description.Length > 0);
        (scripts["wipe-disks"].ScriptType, scripts["wipe-disks"].Destructive).ShouldBe((ScriptType.Release, true));

        var fio = scripts["fio"];
        (fio.ScriptType, fio.HardwareType, fio.Parallel, fio.Destructive, fio.TimeoutSeconds).ShouldBe(
            (ScriptType.Testing, HardwareType.Storage, ScriptParallel.Instance, true, 2400));
        JsonNode.Parse(fio.Parameters)!["storage"]!["type"]!.GetValue<string>().ShouldBe("storage");
        JsonNode.Parse(fio.Parameters)!["storage"]!["argument_format"]!.GetValue<string>().ShouldBe("{path}");
        JsonNode.Parse(fio.Results)!["random_read_iops"]!["title"]!.GetValue<string>().ShouldBe("Random read IOPS");
        scripts["smartctl-validate"].Destructive.ShouldBeFalse();
        scripts["30-maas-01-bmc-config"].Tags.ShouldContain("bmc-config");
        scripts["maas-lshw"].Tags.ShouldBe(["node", "commissioning", "enlisting"]);
        scripts["memtester"].HardwareType.ShouldBe(HardwareType.Memory);
        scripts["stress-ng-cpu-short"].HardwareType.ShouldBe(HardwareType.Cpu);
    }

    [Fact]
    public void Metadata_reader_handles_nesting_lists_quotes_and_clock_timeouts()
    {
        var script = BuiltinScript.Parse("x", """
            #!/bin/sh
            # --- Start MAAS 1.0 script metadata ---
            # name: x
            # title: 'It''s x'
            # description: "Has: a colon"
            # script_type: test
            # hardware_type: network
            # parallel: any
            # timeout: 01:02:03
            # for_hardware:
            #   - pci:8086:1521
            #   - system_vendor:QEMU
            # tags: [a, 'b c']
            # parameters:
            #   interface:
            #     type: interface
            #     required: true
            #     default: '3'
            # may_reboot: yes
            # --- End MAAS 1.0 script metadata ---
            echo hi
            """);

        script.Title.ShouldBe("It's x");
        script.Description.ShouldBe("Has: a colon");
        script.ScriptType.ShouldBe(ScriptType.Testing);
        script.HardwareType.ShouldBe(HardwareType.Network);
        script.Parallel.ShouldBe(ScriptParallel.Any);
        script.TimeoutSeconds.ShouldBe(3723);
        script.ForHardware.ShouldBe(["pci:8086:1521", "system_vendor:QEMU"]);
        script.Tags.ShouldBe(["a", "b c"]);
        script.MayReboot.ShouldBeTrue();
        script.Parameters.ShouldBe("""{"interface":{"type":"interface","required":true,"default":"3"}}""");
        script.Results.ShouldBe("{}");
    }

    [Theory]
    [InlineData("#!/bin/sh\necho no metadata\n", "no MAAS 1.0 metadata")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# name: other\n# script_type: testing\n# --- End MAAS 1.0 script metadata ---\n", "names it \"other\"")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# name: x\n# script_type: sometimes\n# --- End MAAS 1.0 script metadata ---\n", "script_type: Script type must be")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# name: x\n# script_type: testing\n# timeout: soon\n# --- End MAAS 1.0 script metadata ---\n", "timeout: Enter a valid duration")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# name: x\n#   script_type: testing\n# --- End MAAS 1.0 script metadata ---\n", "Invalid YAML")]
    public void Broken_builtin_metadata_is_a_packaging_error(string text, string reason) =>
        Should.Throw<InvalidOperationException>(() => BuiltinScript.Parse("x", text)).Message.ShouldContain(reason);
}
