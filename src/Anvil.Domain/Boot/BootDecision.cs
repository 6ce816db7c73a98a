using Anvil.Domain.Machines;

namespace Anvil.Domain.Boot;

/// <summary>
/// Decides what a PXE-booting machine gets, from its lifecycle state alone. The rack's HTTP boot
/// server asks the region, and the region answers with this.
/// </summary>
public static class BootDecision
{
    public static BootPurpose For(Machine? machine)
    {
        if (machine is null)
            return BootPurpose.Enlist;
        return machine.Status switch
        {
            NodeStatus.NEW or NodeStatus.COMMISSIONING or NodeStatus.TESTING or NodeStatus.DISK_ERASING
                or NodeStatus.ENTERING_RESCUE_MODE or NodeStatus.RESCUE_MODE or NodeStatus.RELEASING => BootPurpose.Commissioning,
            NodeStatus.DEPLOYING => machine.EphemeralDeploy ? BootPurpose.Ephemeral : BootPurpose.Xinstall,
            NodeStatus.DEPLOYED when machine.EphemeralDeploy => BootPurpose.Ephemeral,
            NodeStatus.DEPLOYED => BootPurpose.Local,
            _ => BootPurpose.Local,
        };
    }
}
