using System.Text;
using Anvil.Domain.Scripts;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Scripts;

public sealed class ModaliasesTests
{
    [Fact]
    public void Parse_keeps_each_listed_modalias_once_in_order()
    {
        var output = Encoding.UTF8.GetBytes("pci:v00008086d0000100Esv*\r\n\n  dmi:svnQEMU:\npci:v00008086d0000100Esv*\n");

        Modaliases.Parse(output).ShouldBe(["pci:v00008086d0000100Esv*", "dmi:svnQEMU:"]);
    }

    [Fact]
    public void Parse_of_no_output_is_empty() => Modaliases.Parse([]).ShouldBeEmpty();
}
