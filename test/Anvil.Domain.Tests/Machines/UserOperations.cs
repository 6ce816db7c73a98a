using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Xunit;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Tests.Machines;

/// <summary>
/// Every user-initiated operation with what maas-api.md §3.5/§5.3 say about it, written out
/// here independently of the production code so the theories can catch mistakes there.
/// </summary>
internal static class UserOperations
{
    public sealed record Case(
        string Name,
        Func<Machine, Actor, LifecycleOutcome> Run,
        NodeStatus[] AllowedFrom,
        Func<Machine, NodeStatus> ExpectedStatus,
        string AuditAction);

    private static readonly NodeStatus[] Failed =
    [
        FAILED_COMMISSIONING, FAILED_DEPLOYMENT, FAILED_RELEASING, FAILED_DISK_ERASING,
        FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
    ];

    private static readonly DeployOptions Deploy = new() { Osystem = "ubuntu", DistroSeries = "noble" };

    public static readonly Case[] All =
    [
        new("acquire", (m, a) => MachineLifecycle.Acquire(m, a, "juju", "for juju"), [READY], _ => ALLOCATED, "acquire"),
        new("deploy", (m, a) => MachineLifecycle.Deploy(m, a, Deploy, TestMachines.Now, TestMachines.NodeTimeout),
            [READY, ALLOCATED], _ => DEPLOYING, "deploy"),
        // Releasing a machine that is on and whose power can be queried waits in Releasing;
        // Ready and Releasing machines are left as they are.
        new("release", (m, a) => MachineLifecycle.Release(m, a, new ReleaseOptions(), TestMachines.Now, TestMachines.NodeTimeout),
            [ALLOCATED, DEPLOYED, DEPLOYING, FAILED_DEPLOYMENT, FAILED_RELEASING, FAILED_DISK_ERASING, READY, RELEASING],
            m => m.Status is READY or RELEASING ? m.Status : RELEASING, "release"),
        new("commission", (m, a) => MachineLifecycle.Commission(m, a, new CommissionOptions(), TestMachines.Now, TestMachines.NodeTimeout),
            [NEW, FAILED_COMMISSIONING, READY, BROKEN], _ => COMMISSIONING, "start commissioning"),
        new("test", (m, a) => MachineLifecycle.Test(m, a, enableSsh: false, TestMachines.Now, TestMachines.NodeTimeout),
            [FAILED_COMMISSIONING, NEW, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED, BROKEN,
             RESCUE_MODE, FAILED_RELEASING, FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING],
            _ => TESTING, "start testing"),
        new("abort", (m, a) => MachineLifecycle.Abort(m, a, "stop"), [COMMISSIONING, DEPLOYING, DISK_ERASING, TESTING],
            m => m.Status switch { COMMISSIONING => NEW, DEPLOYING => ALLOCATED, DISK_ERASING => FAILED_DISK_ERASING, _ => m.PreviousStatus },
            "abort"),
        new("mark_broken", (m, a) => MachineLifecycle.MarkBroken(m, a, "dead fan"),
            [NEW, COMMISSIONING, READY, ALLOCATED, RELEASING, DEPLOYING, DEPLOYED, DISK_ERASING, TESTING, .. Failed],
            _ => BROKEN, "mark broken"),
        new("mark_fixed", (m, a) => MachineLifecycle.MarkFixed(m, a, "new fan"), [BROKEN], _ => READY, "mark fixed"),
        new("lock", (m, a) => MachineLifecycle.Lock(m, a, "prod"), [DEPLOYED, DEPLOYING], m => m.Status, "lock"),
        // FAILED_EXITING_RESCUE_MODE is in MAAS's action list, but §5.2 has no way from it into rescue mode.
        new("rescue_mode", (m, a) => MachineLifecycle.EnterRescueMode(m, a, TestMachines.Now, TestMachines.NodeTimeout),
            [NEW, FAILED_COMMISSIONING, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED, BROKEN,
             FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_TESTING],
            _ => ENTERING_RESCUE_MODE, "start rescue mode"),
        new("exit_rescue_mode", (m, a) => MachineLifecycle.ExitRescueMode(m, a, TestMachines.Now),
            [RESCUE_MODE, ENTERING_RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE],
            _ => EXITING_RESCUE_MODE, "stop rescue mode"),
        new("override_failed_testing", (m, a) => MachineLifecycle.OverrideFailedTesting(m, a, "fine"), [FAILED_TESTING],
            _ => READY, "override failed testing"),
        // power_on needs an owner: in these tests exactly the allocated statuses have one.
        new("power_on", (m, a) => MachineLifecycle.PowerOn(m, a, "up", TestMachines.Now, TestMachines.NodeTimeout),
            [.. NodeStatusInfo.AllocatedStatuses], m => m.Status == ALLOCATED ? DEPLOYING : m.Status, "power on"),
        new("power_off", (m, a) => MachineLifecycle.PowerOff(m, a, soft: false, "down"),
            [NEW, FAILED_COMMISSIONING, MISSING, READY, RESERVED, DEPLOYED, RETIRED, BROKEN, ALLOCATED, FAILED_DEPLOYMENT,
             FAILED_RELEASING, FAILED_DISK_ERASING, RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING],
            m => m.Status, "power off"),
    ];

    public static Case Named(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var operation in All)
        {
            data.Add(operation.Name);
        }

        return data;
    }

    public static TheoryData<string, NodeStatus> NamesByStatus()
    {
        var data = new TheoryData<string, NodeStatus>();
        foreach (var operation in All)
        {
            foreach (var status in Enum.GetValues<NodeStatus>())
            {
                data.Add(operation.Name, status);
            }
        }

        return data;
    }
}
