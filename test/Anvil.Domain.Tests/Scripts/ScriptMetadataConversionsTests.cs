using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Scripts;

public sealed class ScriptMetadataConversionsTests
{
    [Theory]
    [InlineData("0", ScriptType.Commissioning)]
    [InlineData("commission", ScriptType.Commissioning)]
    [InlineData("test", ScriptType.Testing)]
    [InlineData("2", ScriptType.Testing)]
    [InlineData("release", ScriptType.Release)]
    public void ParseScriptType_reads_maas_names_and_numbers(string text, ScriptType type) =>
        ScriptMetadataConversions.ParseScriptType("type", text).ShouldBe(type);

    [Fact]
    public void ParseScriptType_of_an_unknown_number_names_the_field() =>
        Should.Throw<ValidationException>(() => ScriptMetadataConversions.ParseScriptType("type", "1"))
            .FieldErrors["type"].ShouldBe(["Invalid script type numeric value."]);

    [Theory]
    [InlineData("processor", HardwareType.Cpu)]
    [InlineData("RAM", HardwareType.Memory)]
    [InlineData("ssd", HardwareType.Storage)]
    [InlineData("interface", HardwareType.Network)]
    [InlineData("graphics", HardwareType.Gpu)]
    [InlineData("machine", HardwareType.Node)]
    public void ParseHardwareType_reads_maas_aliases(string text, HardwareType type) =>
        ScriptMetadataConversions.ParseHardwareType("hardware_type", text).ShouldBe(type);

    [Theory]
    [InlineData("none", ScriptParallel.Disabled)]
    [InlineData("name", ScriptParallel.Instance)]
    [InlineData("enabled", ScriptParallel.Any)]
    [InlineData("1", ScriptParallel.Instance)]
    public void ParseParallel_reads_maas_aliases(string text, ScriptParallel parallel) =>
        ScriptMetadataConversions.ParseParallel("parallel", text).ShouldBe(parallel);

    [Theory]
    [InlineData(0, "0:00:00")]
    [InlineData(300, "0:05:00")]
    [InlineData(43200, "12:00:00")]
    [InlineData(90000, "1 day, 1:00:00")]
    [InlineData(180000, "2 days, 2:00:00")]
    public void FormatDuration_writes_python_timedelta_text(int seconds, string text) =>
        ScriptMetadataConversions.FormatDuration(TimeSpan.FromSeconds(seconds)).ShouldBe(text);

    [Fact]
    public void ParseResultType_of_an_unknown_name_is_a_bad_request() =>
        Should.Throw<BadRequestException>(() => ScriptMetadataConversions.ParseResultType("deploy")).Message.ShouldBe("Invalid result type name");
}
