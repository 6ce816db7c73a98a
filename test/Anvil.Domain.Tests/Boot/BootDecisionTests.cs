using Anvil.Domain.Boot;
using Anvil.Domain.Machines;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Boot;

public sealed class BootDecisionTests
{
    [Fact]
    public void An_unknown_machine_enlists() => BootDecision.For(null).ShouldBe(BootPurpose.Enlist);

    [Theory]
    [InlineData(NodeStatus.NEW, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.COMMISSIONING, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.TESTING, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.DISK_ERASING, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.ENTERING_RESCUE_MODE, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.RESCUE_MODE, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.RELEASING, false, BootPurpose.Commissioning)]
    [InlineData(NodeStatus.DEPLOYING, false, BootPurpose.Xinstall)]
    [InlineData(NodeStatus.DEPLOYING, true, BootPurpose.Ephemeral)]
    [InlineData(NodeStatus.DEPLOYED, false, BootPurpose.Local)]
    [InlineData(NodeStatus.DEPLOYED, true, BootPurpose.Ephemeral)]
    [InlineData(NodeStatus.READY, false, BootPurpose.Local)]
    [InlineData(NodeStatus.ALLOCATED, false, BootPurpose.Local)]
    [InlineData(NodeStatus.BROKEN, false, BootPurpose.Local)]
    [InlineData(NodeStatus.FAILED_DEPLOYMENT, false, BootPurpose.Local)]
    public void A_known_machine_boots_by_its_status(NodeStatus status, bool ephemeral, BootPurpose expected)
    {
        var machine = new Machine { SystemId = "abc123", Hostname = "m", Status = status, EphemeralDeploy = ephemeral };
        BootDecision.For(machine).ShouldBe(expected);
    }
}
