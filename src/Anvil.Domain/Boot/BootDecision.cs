using Anvil.Domain.Machines;

namespace Anvil.Domain.Boot;

/// <summary>
/// Decides what a PXE-booting machine gets, from its lifecycle state alone (maas-api.md §8.2,
/// "Boot purpose from node status"). The rack asks the region, and the region answers with this.
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
            NodeStatus.DEPLOYING => machine.EphemeralDeploy ? BootPurpose.Ephemeral : machine.Netboot ? BootPurpose.Xinstall : BootPurpose.Local,
            NodeStatus.DEPLOYED when machine.EphemeralDeploy => BootPurpose.Ephemeral,
            NodeStatus.DEPLOYED => BootPurpose.Local,
            // Leaving rescue mode power-cycles a deployed machine back into its OS.
            NodeStatus.EXITING_RESCUE_MODE when machine.PreviousStatus == NodeStatus.DEPLOYED =>
                machine.EphemeralDeploy ? BootPurpose.Ephemeral : BootPurpose.Local,
            _ => BootPurpose.PowerOff,
        };
    }

    /// <summary>The purpose's name on the wire and in boot templates (<c>xinstall</c>, <c>poweroff</c>, …).</summary>
    public static string WireName(BootPurpose purpose) => purpose switch
    {
        BootPurpose.Enlist => "enlist",
        BootPurpose.Commissioning => "commissioning",
        BootPurpose.Xinstall => "xinstall",
        BootPurpose.Ephemeral => "ephemeral",
        BootPurpose.Local => "local",
        _ => "poweroff",
    };
}
