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
    [InlineData(NodeStatus.READY, false, BootPurpose.PowerOff)]
    [InlineData(NodeStatus.ALLOCATED, false, BootPurpose.PowerOff)]
    [InlineData(NodeStatus.BROKEN, false, BootPurpose.PowerOff)]
    [InlineData(NodeStatus.FAILED_DEPLOYMENT, false, BootPurpose.PowerOff)]
    public void A_known_machine_boots_by_its_status(NodeStatus status, bool ephemeral, BootPurpose expected)
    {
        var machine = new Machine { SystemId = "abc123", Hostname = "m", Status = status, EphemeralDeploy = ephemeral };
        BootDecision.For(machine).ShouldBe(expected);
    }

    [Fact]
    public void A_machine_deploying_without_netboot_boots_its_disk()
    {
        var machine = new Machine { SystemId = "abc123", Hostname = "m", Status = NodeStatus.DEPLOYING, Netboot = false };
        BootDecision.For(machine).ShouldBe(BootPurpose.Local);
    }

    [Theory]
    [InlineData(NodeStatus.DEPLOYED, BootPurpose.Local)]
    [InlineData(NodeStatus.READY, BootPurpose.PowerOff)]
    public void A_machine_leaving_rescue_mode_boots_its_disk_only_when_it_was_deployed(NodeStatus previous, BootPurpose expected)
    {
        var machine = new Machine { SystemId = "abc123", Hostname = "m", Status = NodeStatus.EXITING_RESCUE_MODE, PreviousStatus = previous };
        BootDecision.For(machine).ShouldBe(expected);
    }

    [Theory]
    [InlineData(BootPurpose.Enlist, "enlist")]
    [InlineData(BootPurpose.Commissioning, "commissioning")]
    [InlineData(BootPurpose.Xinstall, "xinstall")]
    [InlineData(BootPurpose.Ephemeral, "ephemeral")]
    [InlineData(BootPurpose.Local, "local")]
    [InlineData(BootPurpose.PowerOff, "poweroff")]
    public void Purposes_have_their_template_names(BootPurpose purpose, string name) => BootDecision.WireName(purpose).ShouldBe(name);
}
