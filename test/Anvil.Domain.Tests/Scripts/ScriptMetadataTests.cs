using System.Text.Json.Nodes;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Scripts;

public sealed class ScriptMetadataTests
{
    private static string Script(params string[] yamlLines) =>
        "#!/bin/bash\n# --- Start MAAS 1.0 script metadata ---\n"
        + string.Concat(yamlLines.Select(l => $"# {l}\n"))
        + "# --- End MAAS 1.0 script metadata ---\necho hello\n";

    [Fact]
    public void Parse_reads_every_field()
    {
        var metadata = ScriptMetadata.Parse(Script(
            "name: fio-custom",
            "title: Storage benchmark",
            "description: Runs fio.",
            "tags: [storage, slow]",
            "script_type: testing",
            "hardware_type: storage",
            "parallel: instance",
            "timeout: 00:05:00",
            "destructive: true",
            "may_reboot: yes",
            "recommission: false",
            "apply_configured_networking: on",
            "for_hardware: [pci:8086:1533, 'modalias:pci:v00008086*', 'system_vendor:Dell Inc.']",
            "packages: {apt: fio, snap: [{name: lxd, channel: edge}]}",
            "parameters:",
            "  storage: {type: storage, argument_format: '{path}'}",
            "results:",
            "  read: {title: Read speed, description: Bytes per second}"));

        metadata.Embedded.ShouldBeTrue();
        metadata.Name.ShouldBe("fio-custom");
        metadata.Title.ShouldBe("Storage benchmark");
        metadata.Description.ShouldBe("Runs fio.");
        metadata.Tags.ShouldBe(["storage", "slow"]);
        metadata.ScriptType.ShouldBe(ScriptType.Testing);
        metadata.HardwareType.ShouldBe(HardwareType.Storage);
        metadata.Parallel.ShouldBe(ScriptParallel.Instance);
        metadata.Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        metadata.Destructive.ShouldBe(true);
        metadata.MayReboot.ShouldBe(true);
        metadata.Recommission.ShouldBe(false);
        metadata.ApplyConfiguredNetworking.ShouldBe(true);
        metadata.ForHardware.ShouldBe(["pci:8086:1533", "modalias:pci:v00008086*", "system_vendor:Dell Inc."]);
        metadata.Packages!.ToJsonString().ShouldBe("""{"apt":["fio"],"snap":[{"name":"lxd","channel":"edge"}]}""");
        metadata.Parameters.ToJsonString().ShouldBe("""{"storage":{"type":"storage","argument_format":"{path}"}}""");
        metadata.Results.ToJsonString().ShouldBe("""{"read":{"title":"Read speed","description":"Bytes per second"}}""");
        metadata.Defined.ShouldBe(
            ["name", "title", "description", "tags", "script_type", "hardware_type", "parallel", "timeout", "destructive", "may_reboot",
             "recommission", "apply_configured_networking", "for_hardware", "packages"],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData("timeout: 300", 300)]
    [InlineData("timeout: '10:00'", 600)]
    [InlineData("timeout: 1 02:00:00", 93600)]
    public void Parse_reads_timeouts_as_seconds_or_durations(string line, int seconds) =>
        ScriptMetadata.Parse(Script(line)).Timeout.ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Parse_accepts_comma_separated_tags_and_for_hardware()
    {
        var metadata = ScriptMetadata.Parse(Script("tags: a, b ,c", "for_hardware: usb:0bda:8153,mainboard_product:X11"));

        metadata.Tags.ShouldBe(["a", "b", "c"]);
        metadata.ForHardware.ShouldBe(["usb:0bda:8153", "mainboard_product:X11"]);
    }

    [Fact]
    public void Parse_of_a_script_without_metadata_is_empty_and_valid()
    {
        var metadata = ScriptMetadata.Parse("#!/bin/sh\necho plain\n");

        metadata.Embedded.ShouldBeFalse();
        metadata.Defined.ShouldBeEmpty();
        metadata.Name.ShouldBeNull();
        metadata.Parameters.Count.ShouldBe(0);
    }

    [Fact]
    public void Parse_ignores_lines_outside_the_block_and_other_versions()
    {
        var text = "#!/bin/sh\n# name: outside\n# --- Start MAAS 2.0 script metadata ---\n# name: v2\n# --- End MAAS 2.0 script metadata ---\n";

        ScriptMetadata.Parse(text).Embedded.ShouldBeFalse();
    }

    [Fact]
    public void Parse_without_a_shebang_is_an_error_on_script()
    {
        var errors = Errors("echo no shebang\n");

        errors.Keys.ShouldBe(["script"]);
        errors["script"].ShouldBe(["Must start with shebang."]);
    }

    [Fact]
    public void Parse_of_invalid_yaml_is_an_error_on_script()
    {
        var errors = Errors(Script("name: [unclosed"));

        errors.Keys.ShouldBe(["script"]);
        errors["script"].Single().ShouldStartWith("Invalid YAML: ");
    }

    [Fact]
    public void Parse_of_a_block_line_without_a_hash_is_an_error_on_script() =>
        Errors("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\nname: x\n# --- End MAAS 1.0 script metadata ---\n")["script"]
            .ShouldBe(["Missing \"#\" on YAML line."]);

    [Fact]
    public void Parse_reports_every_bad_field_at_once()
    {
        var errors = Errors(Script(
            "tags: {a: b}",
            "script_type: nightly",
            "hardware_type: 9",
            "parallel: sometimes",
            "timeout: soon",
            "for_hardware: [pci:zz:1, flux:capacitor]",
            "packages: {apt: [1]}",
            "parameters: {storage: {type: disk}}",
            "results: [1]"));

        errors["tags"].ShouldBe(["Embedded tags must be a string of comma seperated values, or a list of strings."]);
        errors["script_type"].ShouldBe(["Script type must be commissioning, testing, release or deployment"]);
        errors["hardware_type"].ShouldBe(["Invalid hardware type numeric value."]);
        errors["parallel"].ShouldBe(["Script parallel must be disabled, instance, or any."]);
        errors["timeout"].ShouldBe(["Enter a valid duration."]);
        errors["for_hardware"].ShouldBe([ForHardware.InvalidEntryMessage("pci:zz:1"), ForHardware.InvalidEntryMessage("flux:capacitor")]);
        errors["packages"].ShouldBe(["Each apt package must be a string."]);
        errors["parameters"].ShouldBe(["disk: type must be either storage, interface, url, or runtime"]);
        errors["results"].ShouldBe(["Each result in a result list must be a string."]);
    }

    [Fact]
    public void Parse_checks_parameter_attributes_as_maas_does()
    {
        var errors = Errors(Script(
            "parameters:",
            "  disk: {type: storage, min: 1}",
            "  run: {type: runtime, min: 10, max: 5}",
            "  nic: {type: interface, argument_format: '--dev'}",
            "  link: {type: url, required: maybe}"));

        errors["parameters"].ShouldBe(
            [
                "Type doesn't support min or max",
                "min must be less than max",
                "interface: argument_format must contain one of {input}, {name}, {mac}, {vendor}, {product}",
                "maybe: required must be a boolean",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Parse_checks_results_dictionaries()
    {
        Errors(Script("results: {a: {description: no title}}"))["results"].ShouldBe(["title must be included in a result dictionary."]);
        Errors(Script("results: {a: plain}"))["results"].ShouldBe(["Each result in a result dictionary must be a dictionary."]);
        Errors(Script("results: 5"))["results"].ShouldBe(["results must be a list of strings or a dictionary of dictionaries."]);
    }

    [Fact]
    public void Parse_checks_snap_packages()
    {
        var errors = Errors(Script("packages: {snap: [{channel: nightly, mode: wild}, 5]}"));

        errors["packages"].ShouldBe(
            ["Snap package name must be defined.", "Snap channel must be stable, edge, beta, or candidate.", "Snap mode must be classic, dev, or jail.", "Snap package must be a string."],
            ignoreOrder: true);
    }

    [Fact]
    public void Parse_refuses_deployment_scripts_which_anvil_does_not_run() =>
        Errors(Script("script_type: deployment"))["script_type"].ShouldBe(["Deployment scripts are not supported."]);

    [Fact]
    public void Parse_keeps_quoted_yaml_scalars_as_text()
    {
        var metadata = ScriptMetadata.Parse(Script("name: '123'", "results: ['yes']"));

        metadata.Name.ShouldBe("123");
        metadata.Results.ShouldBeOfType<JsonArray>()[0]!.GetValue<string>().ShouldBe("yes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# : : :\n# - [\n")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# *alias\n")]
    [InlineData("#!/bin/sh\n# --- Start MAAS 1.0 script metadata ---\n# name: !!binary x\n# parameters: [1, 2]\n")]
    [InlineData("#!/\r\n# --- start maas 1.0 script metadata ---\r\n# timeout: -5\r\n")]
    public void Parse_of_garbage_either_succeeds_or_reports_field_errors(string text)
    {
        try
        {
            ScriptMetadata.Parse(text);
        }
        catch (ValidationException e)
        {
            e.FieldErrors.ShouldNotBeEmpty();
        }
    }

    private static Dictionary<string, string[]> Errors(string script) =>
        Should.Throw<ValidationException>(() => ScriptMetadata.Parse(script)).FieldErrors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
