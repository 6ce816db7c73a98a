using System.Collections.Frozen;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Users;
using static Anvil.Domain.Machines.NodeStatus;

namespace Anvil.Domain.Machines;

/// <summary>
/// The machine operations of MAAS's API (maas-api.md §3.5, §5.3), without I/O. Each one checks
/// the caller's permission (403) and then the machine's status (409), mutates the machine, and
/// returns the events to record and the power action to run after commit. Callers load the
/// machine FOR UPDATE, call one of these, save, record the events, commit, then run the power
/// action. When one of these throws, the transaction is rolled back, so the machine may be
/// left half-changed in memory but never in the database.
/// </summary>
public static class MachineLifecycle
{
    private static readonly FrozenSet<NodeStatus> ReleasableStatuses = new[]
    {
        ALLOCATED, DEPLOYED, DEPLOYING, FAILED_DEPLOYMENT, FAILED_RELEASING, FAILED_DISK_ERASING,
    }.ToFrozenSet();

    /// <summary>Whether release may start from <paramref name="status"/> (Ready and Releasing are no-ops, not releases).</summary>
    public static bool CanRelease(NodeStatus status) => ReleasableStatuses.Contains(status);

    private static readonly FrozenSet<NodeStatus> CommissionableStatuses = new[]
    {
        NEW, FAILED_COMMISSIONING, READY, BROKEN,
    }.ToFrozenSet();

    private static readonly FrozenSet<NodeStatus> TestableStatuses = new[]
    {
        FAILED_COMMISSIONING, NEW, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED, BROKEN,
        RESCUE_MODE, FAILED_RELEASING, FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
    }.ToFrozenSet();

    private static readonly FrozenSet<NodeStatus> BreakableStatuses = new[]
    {
        NEW, COMMISSIONING, READY, ALLOCATED, RELEASING, DEPLOYING, DEPLOYED, DISK_ERASING, TESTING,
    }.Concat(NodeStatusInfo.FailedStatuses).ToFrozenSet();

    private static readonly FrozenSet<NodeStatus> LockableStatuses = new[] { DEPLOYED, DEPLOYING }.ToFrozenSet();

    // FAILED_EXITING_RESCUE_MODE is in MAAS's action list but the transition table refuses it.
    private static readonly FrozenSet<NodeStatus> RescuableStatuses = new[]
    {
        NEW, FAILED_COMMISSIONING, READY, RESERVED, ALLOCATED, FAILED_DEPLOYMENT, DEPLOYED, MISSING, RETIRED, BROKEN,
        FAILED_DISK_ERASING, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE, FAILED_TESTING,
    }.ToFrozenSet();

    private static readonly FrozenSet<NodeStatus> RescueExitableStatuses = new[]
    {
        RESCUE_MODE, ENTERING_RESCUE_MODE, FAILED_ENTERING_RESCUE_MODE, FAILED_EXITING_RESCUE_MODE,
    }.ToFrozenSet();

    /// <summary>Allocates a Ready machine to the actor (<c>allocate</c>).</summary>
    public static LifecycleOutcome Acquire(Machine machine, Actor actor, string? agentName = null, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (machine.Status != READY)
        {
            throw new ConflictException($"Can't allocate a machine that is in the '{Label(machine)}' state.");
        }

        EnsureNotOwnedByAnother(machine, actor);
        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_ACQUIRE, comment);
        outcome.Audit("acquire", comment);
        Allocate(machine, actor, agentName, outcome);
        return outcome.Build();
    }

    /// <summary>
    /// Starts deploying: a Ready machine is first allocated to the actor, then the machine goes
    /// to Deploying and boots into the installer.
    /// </summary>
    public static LifecycleOutcome Deploy(Machine machine, Actor actor, DeployOptions options, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (machine.Status == READY)
        {
            EnsureNotOwnedByAnother(machine, actor);
        }
        else if (!NodeTransitions.IsAllowed(machine.Status, DEPLOYING))
        {
            throw new ConflictException($"Can't deploy a machine that is in the '{Label(machine)}' state");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_START_DEPLOYMENT, options.Comment);
        outcome.Audit("deploy", options.Comment);
        if (machine.Status == READY)
        {
            outcome.Event(EventTypes.REQUEST_NODE_ACQUIRE, options.Comment);
            Allocate(machine, actor, options.AgentName, outcome);
        }

        EnsureOwned(machine);
        machine.Osystem = options.Osystem;
        machine.DistroSeries = options.DistroSeries;
        machine.HweKernel = options.HweKernel ?? machine.HweKernel;
        machine.LicenseKey = options.LicenseKey ?? machine.LicenseKey;
        machine.EphemeralDeploy = options.EphemeralDeploy;
        machine.EnableHwSync = options.EnableHwSync;
        machine.EnableKernelCrashDump = options.EnableKernelCrashDump;
        StartDeployment(machine, now, nodeTimeoutMinutes, outcome);
        return outcome.Build();
    }

    /// <summary>
    /// Releases the machine. Ready and Releasing machines are left alone (a retried release
    /// has already got what it asked for). With erasing, the machine boots to wipe its disks;
    /// otherwise it is powered off and becomes Ready when the power-off is seen
    /// (<see cref="CompleteRelease"/>), or at once when it is already off or its power cannot be queried.
    /// </summary>
    public static LifecycleOutcome Release(Machine machine, Actor actor, ReleaseOptions options, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (machine.Status is READY or RELEASING)
        {
            return LifecycleOutcome.Nothing;
        }

        if (!ReleasableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Machine cannot be released in its current state ('{Label(machine)}').");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_RELEASE, options.Comment);
        outcome.Audit("release", options.Comment);
        if (options.Erase)
        {
            outcome.Event(EventTypes.REQUEST_NODE_ERASE_DISK, options.Comment);
            outcome.ChangeStatus(machine, DISK_ERASING);
            outcome.Event(EventTypes.ERASING_DISK);
            machine.StatusExpires = Expiry(DISK_ERASING, now, nodeTimeoutMinutes);
            outcome.Power(BootEphemeral(machine));
        }
        else if (machine.PowerState == PowerState.Off || !options.PowerQueryable)
        {
            outcome.ChangeStatus(machine, READY);
            ClearAllocation(machine);
            outcome.Event(EventTypes.RELEASED);
            // The power-off cannot be confirmed for an unqueryable machine, but it is still asked for.
            outcome.Power(machine.PowerState == PowerState.Off ? PowerRequest.None : PowerRequest.Off);
        }
        else
        {
            outcome.ChangeStatus(machine, RELEASING);
            outcome.Event(EventTypes.RELEASING);
            machine.StatusExpires = Expiry(RELEASING, now, nodeTimeoutMinutes);
            outcome.Power(PowerRequest.Off);
        }

        return outcome.Build();
    }

    /// <summary>
    /// Finishes a release once the machine is seen powered off (Releasing) or has wiped its
    /// disks (Disk erasing): it becomes Ready and forgets its owner and deployment settings.
    /// </summary>
    public static LifecycleOutcome CompleteRelease(Machine machine)
    {
        if (machine.Status is not (RELEASING or DISK_ERASING))
        {
            throw new ConflictException($"Can't complete the release of a machine that is in the '{Label(machine)}' state.");
        }

        var outcome = new OutcomeBuilder();
        outcome.ChangeStatus(machine, READY);
        ClearAllocation(machine);
        outcome.Event(EventTypes.RELEASED);
        return outcome.Build();
    }

    /// <summary>Boots the machine into the commissioning environment. Needs a power type.</summary>
    public static LifecycleOutcome Commission(Machine machine, Actor actor, CommissionOptions options, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (!CommissionableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't commission a machine that is in the '{Label(machine)}' state.");
        }

        EnsurePowerType(machine);
        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_START_COMMISSIONING);
        outcome.Audit("start commissioning", null);
        outcome.ChangeStatus(machine, COMMISSIONING);
        outcome.Event(EventTypes.COMMISSIONING);
        machine.OwnerId = actor.UserId;
        machine.OwnerName = actor.Username;
        machine.EnableSsh = options.EnableSsh;
        machine.SkipBmcConfig = options.SkipBmcConfig;
        machine.SkipNetworking = options.SkipNetworking;
        machine.SkipStorage = options.SkipStorage;
        machine.StatusExpires = Expiry(COMMISSIONING, now, nodeTimeoutMinutes);
        outcome.Power(BootEphemeral(machine));
        return outcome.Build();
    }

    /// <summary>Boots the machine into the testing environment. Needs a power type.</summary>
    public static LifecycleOutcome Test(Machine machine, Actor actor, bool enableSsh, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (!TestableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't test a machine that is in the '{Label(machine)}' state.");
        }

        EnsurePowerType(machine);
        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_START_TESTING);
        outcome.Audit("start testing", null);
        outcome.ChangeStatus(machine, TESTING);
        outcome.Event(EventTypes.TESTING);
        if (machine.OwnerId is null)
        {
            machine.OwnerId = actor.UserId;
            machine.OwnerName = actor.Username;
        }

        machine.EnableSsh = enableSsh;
        machine.StatusExpires = Expiry(TESTING, now, nodeTimeoutMinutes);
        outcome.Power(BootEphemeral(machine));
        return outcome.Build();
    }

    /// <summary>
    /// Stops the running operation and powers the machine off. Commissioning goes back to New
    /// (as MAAS does, whatever the status before), deploying to Allocated, disk erasing to
    /// Failed disk erasing, and testing to where it was before (Ready after commissioning,
    /// Failed testing when the earlier status cannot be returned to).
    /// </summary>
    public static LifecycleOutcome Abort(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        var (requestType, action, abortedType, target) = machine.Status switch
        {
            COMMISSIONING => (EventTypes.REQUEST_NODE_ABORT_COMMISSIONING, "abort commissioning", EventTypes.ABORTED_COMMISSIONING, NEW),
            DEPLOYING => (EventTypes.REQUEST_NODE_ABORT_DEPLOYMENT, "abort deploying", EventTypes.ABORTED_DEPLOYMENT, ALLOCATED),
            DISK_ERASING => (EventTypes.REQUEST_NODE_ABORT_ERASE_DISK, "abort disk erasing", EventTypes.ABORTED_DISK_ERASING, FAILED_DISK_ERASING),
            TESTING => (EventTypes.REQUEST_NODE_ABORT_TESTING, "abort testing", EventTypes.ABORTED_TESTING, StatusAfterAbortedTesting(machine.PreviousStatus)),
            _ => throw new ConflictException($"Cannot abort in current state: node {machine.SystemId} is in state {Label(machine)}."),
        };

        var outcome = new OutcomeBuilder();
        outcome.Event(requestType, comment);
        outcome.Audit(action, comment);
        outcome.ChangeStatus(machine, target);
        outcome.Event(abortedType);
        // Commissioning and testing take the machine for the admin who started them; it is
        // given back unless it returns to a status that belongs to an owner.
        if (!NodeStatusInfo.IsAllocated(target))
        {
            machine.OwnerId = null;
            machine.OwnerName = null;
        }

        machine.StatusExpires = null;
        outcome.Power(PowerRequest.Off);
        return outcome.Build();
    }

    /// <summary>
    /// Marks the machine broken. Only its owner or an admin may (MAAS lets only the owner; an
    /// admin can always act on a machine, so Anvil lets admins too). An allocated machine is
    /// released on the way: it loses its owner and deployment settings and is powered off.
    /// </summary>
    public static LifecycleOutcome MarkBroken(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (!actor.IsAdmin && machine.OwnerId != actor.UserId)
        {
            throw new ForbiddenException($"Only the owner of machine '{machine.SystemId}' or an admin can mark it broken.");
        }

        if (!BreakableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't mark a machine that is in the '{Label(machine)}' state as 'Broken'.");
        }

        var wasReleasable = ReleasableStatuses.Contains(machine.Status);
        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_MARK_BROKEN, comment);
        outcome.Audit("mark broken", comment);
        outcome.ChangeStatus(machine, BROKEN);
        if (wasReleasable)
        {
            ClearAllocation(machine);
            outcome.Power(machine.PowerState == PowerState.Off ? PowerRequest.None : PowerRequest.Off);
        }

        machine.OwnerId = null;
        machine.OwnerName = null;
        machine.StatusExpires = null;
        machine.ErrorDescription = comment ?? "";
        return outcome.Build();
    }

    /// <summary>
    /// Marks a broken machine fixed. It always becomes Ready (MAAS's API behaviour); a broken
    /// machine that was deployed must be deployed again.
    /// </summary>
    public static LifecycleOutcome MarkFixed(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (machine.Status != BROKEN)
        {
            throw new ConflictException("Can't mark a non-broken node as 'Ready'.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_MARK_FIXED, comment);
        outcome.Audit("mark fixed", comment);
        outcome.ChangeStatus(machine, READY);
        machine.ErrorDescription = "";
        machine.Osystem = "";
        machine.DistroSeries = "";
        machine.HweKernel = null;
        return outcome.Build();
    }

    /// <summary>Locks a deployed (or deploying) machine against every change but unlocking.</summary>
    public static LifecycleOutcome Lock(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Lock);
        if (machine.Locked)
        {
            throw new ConflictException("Machine is already locked");
        }

        if (!LockableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't lock a machine that is in the '{Label(machine)}' state; only deployed machines can be locked.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_LOCK, comment);
        outcome.Audit("lock", comment);
        machine.Locked = true;
        return outcome.Build();
    }

    public static LifecycleOutcome Unlock(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Lock);
        if (!machine.Locked)
        {
            throw new ConflictException("Machine is not locked");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_UNLOCK, comment);
        outcome.Audit("unlock", comment);
        machine.Locked = false;
        return outcome.Build();
    }

    /// <summary>Boots the machine into the ephemeral rescue environment.</summary>
    public static LifecycleOutcome EnterRescueMode(Machine machine, Actor actor, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (!RescuableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't enter rescue mode on a machine that is in the '{Label(machine)}' state.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_START_RESCUE_MODE);
        outcome.Audit("start rescue mode", null);
        outcome.ChangeStatus(machine, ENTERING_RESCUE_MODE);
        outcome.Event(EventTypes.ENTERING_RESCUE_MODE);
        machine.StatusExpires = Expiry(ENTERING_RESCUE_MODE, now, nodeTimeoutMinutes);
        // The rescue environment lets in its owner's SSH keys: a machine nobody owns is taken, for
        // the time of the rescue, by the admin who started it (as commissioning does).
        if (machine.OwnerId is null)
        {
            machine.OwnerId = actor.UserId;
            machine.OwnerName = actor.Username;
        }

        outcome.Power(BootEphemeral(machine));
        return outcome.Build();
    }

    /// <summary>
    /// Leaves rescue mode: a machine that was deployed is rebooted into its OS, any other is
    /// powered off. It returns to its earlier status when the power change is seen
    /// (<see cref="ObservePower"/>), or at once when its power cannot be queried.
    /// </summary>
    public static LifecycleOutcome ExitRescueMode(Machine machine, Actor actor, DateTimeOffset now, bool powerQueryable = true)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (!RescueExitableStatuses.Contains(machine.Status))
        {
            throw new ConflictException($"Can't exit rescue mode on a machine that is in the '{Label(machine)}' state.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_STOP_RESCUE_MODE);
        outcome.Audit("stop rescue mode", null);
        outcome.ChangeStatus(machine, EXITING_RESCUE_MODE);
        outcome.Event(EventTypes.EXITING_RESCUE_MODE);
        machine.StatusExpires = Expiry(EXITING_RESCUE_MODE, now, NodeStatusInfo.PowerChangeTimeoutMinutes);
        outcome.Power(machine.PreviousStatus == DEPLOYED ? PowerRequest.Cycle : PowerRequest.Off);
        if (!powerQueryable)
            FinishRescueExit(machine, outcome);
        return outcome.Build();
    }

    /// <summary>
    /// Acts on a power state read from the machine's BMC (after a power action or by the poller):
    /// a release that waits for the power-off completes (<see cref="CompleteRelease"/>), and
    /// leaving rescue mode completes once the machine is seen off, or on again after the power
    /// cycle that reboots a deployed machine into its OS. Anything else changes nothing.
    /// </summary>
    public static LifecycleOutcome ObservePower(Machine machine, string powerState)
    {
        if (machine.Status == RELEASING && powerState == PowerState.Off)
            return CompleteRelease(machine);
        if (machine.Status == EXITING_RESCUE_MODE
            && (powerState == PowerState.Off || (powerState == PowerState.On && machine.PreviousStatus == DEPLOYED)))
        {
            var outcome = new OutcomeBuilder();
            FinishRescueExit(machine, outcome);
            return outcome.Build();
        }

        return LifecycleOutcome.Nothing;
    }

    private static void FinishRescueExit(Machine machine, OutcomeBuilder outcome)
    {
        var target = machine.PreviousStatus;
        outcome.ChangeStatus(machine, target);
        outcome.Event(EventTypes.EXITED_RESCUE_MODE);
        machine.StatusExpires = null;
        if (!NodeStatusInfo.IsAllocated(target))
        {
            machine.OwnerId = null;
            machine.OwnerName = null;
        }
    }

    /// <summary>Accepts a machine whose tests failed: back to Deployed if it was tested while deployed, else Ready.</summary>
    public static LifecycleOutcome OverrideFailedTesting(Machine machine, Actor actor, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Admin);
        if (machine.Status != FAILED_TESTING)
        {
            throw new ConflictException($"Can't override failed testing on a machine that is in the '{Label(machine)}' state.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_OVERRIDE_FAILED_TESTING, comment);
        outcome.Audit("override failed testing", comment);
        outcome.ChangeStatus(machine, machine.PreviousStatus == DEPLOYED ? DEPLOYED : READY);
        machine.ErrorDescription = "";
        return outcome.Build();
    }

    /// <summary>
    /// Powers the machine on (<c>power_on</c>). Machines must be allocated first; an Allocated
    /// machine starts deploying with the settings it has, as in MAAS.
    /// </summary>
    public static LifecycleOutcome PowerOn(Machine machine, Actor actor, string? comment, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (machine.NodeType == NodeType.MACHINE)
        {
            EnsureOwned(machine);
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_START, comment);
        outcome.Audit("power on", comment);
        if (machine.Status == ALLOCATED)
        {
            StartDeployment(machine, now, nodeTimeoutMinutes, outcome);
        }
        else
        {
            outcome.Power(PowerRequest.On);
        }

        return outcome.Build();
    }

    /// <summary>Powers the machine off (<c>power_off</c>); a running operation must be aborted instead.</summary>
    public static LifecycleOutcome PowerOff(Machine machine, Actor actor, bool soft = false, string? comment = null)
    {
        NodePermissions.Require(actor, machine, NodePermission.Edit);
        if (NodeStatusInfo.IsMonitored(machine.Status))
        {
            throw new ConflictException($"Can't power off a machine that is in the '{Label(machine)}' state; abort the operation first.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(EventTypes.REQUEST_NODE_STOP, comment);
        outcome.Audit("power off", comment);
        outcome.Power(soft ? PowerRequest.SoftOff : PowerRequest.Off);
        return outcome.Build();
    }

    /// <summary>
    /// The system marks the running operation failed (a FAILED signal, a script timeout). A
    /// machine already in a failed status is left alone; any other refuses.
    /// </summary>
    public static LifecycleOutcome MarkFailed(Machine machine, string comment) =>
        Fail(machine, comment, EventTypes.REQUEST_NODE_MARK_FAILED_SYSTEM);

    /// <summary>
    /// The status monitor's decision for one machine: null while its operation has time left
    /// (or none runs), else the outcome of marking it failed because it timed out.
    /// </summary>
    public static LifecycleOutcome? CheckTimeout(Machine machine, DateTimeOffset now, int nodeTimeoutMinutes)
    {
        if (machine.StatusExpires is not { } expires || expires > now
            || NodeStatusInfo.Timeout(machine.Status, nodeTimeoutMinutes) is not { } timeout)
        {
            return null;
        }

        var comment = $"Node operation '{Label(machine)}' timed out after {(int)timeout.TotalMinutes} minutes.";
        return Fail(machine, comment, EventTypes.NODE_OPERATION_TIMED_OUT);
    }

    private static LifecycleOutcome Fail(Machine machine, string comment, string eventType)
    {
        if (!NodeStatusInfo.TryGetFailureStatus(machine.Status, out var failed))
        {
            return NodeStatusInfo.IsFailed(machine.Status)
                ? LifecycleOutcome.Nothing
                : throw new ConflictException(
                    $"The status of the node is {Label(machine)}; this status cannot be transitioned to a corresponding failed status.");
        }

        var outcome = new OutcomeBuilder();
        outcome.Event(eventType, comment);
        outcome.ChangeStatus(machine, failed);
        machine.ErrorDescription = comment;
        machine.StatusExpires = null;
        return outcome.Build();
    }

    private static void Allocate(Machine machine, Actor actor, string? agentName, OutcomeBuilder outcome)
    {
        outcome.ChangeStatus(machine, ALLOCATED);
        machine.OwnerId = actor.UserId;
        machine.OwnerName = actor.Username;
        machine.AgentName = agentName ?? "";
    }

    private static void StartDeployment(Machine machine, DateTimeOffset now, int nodeTimeoutMinutes, OutcomeBuilder outcome)
    {
        outcome.ChangeStatus(machine, DEPLOYING);
        outcome.Event(EventTypes.DEPLOYING);
        machine.StatusExpires = Expiry(DEPLOYING, now, nodeTimeoutMinutes);
        outcome.Power(BootEphemeral(machine));
    }

    private static void ClearAllocation(Machine machine)
    {
        machine.OwnerId = null;
        machine.OwnerName = null;
        machine.AgentName = "";
        machine.Osystem = "";
        machine.DistroSeries = "";
        machine.LicenseKey = "";
        machine.HweKernel = null;
        machine.EnableHwSync = false;
        machine.EphemeralDeploy = false;
        machine.WorkloadAnnotations.Clear();
        machine.StatusExpires = null;
        // A deployed machine boots from disk; a released one must PXE boot for whatever comes next.
        machine.Netboot = true;
    }

    private static NodeStatus StatusAfterAbortedTesting(NodeStatus previous)
    {
        // Commissioning runs tests right after itself; aborting them leaves a usable machine.
        var target = previous == COMMISSIONING ? READY : previous;
        // Some statuses testing may start from cannot be returned to (e.g. Failed commissioning,
        // Rescue mode); tests that did not finish have not passed.
        return NodeTransitions.IsAllowed(TESTING, target) ? target : FAILED_TESTING;
    }

    /// <summary>
    /// Ephemeral environments are reached by PXE booting, so a machine that is already on is
    /// power-cycled rather than powered on (which would do nothing).
    /// </summary>
    private static PowerRequest BootEphemeral(Machine machine) =>
        machine.PowerState == PowerState.On ? PowerRequest.Cycle : PowerRequest.On;

    private static DateTimeOffset Expiry(NodeStatus status, DateTimeOffset now, int nodeTimeoutMinutes) =>
        now + (NodeStatusInfo.Timeout(status, nodeTimeoutMinutes) ?? throw new InvalidOperationException($"{status} is not monitored."));

    private static void EnsureNotOwnedByAnother(Machine machine, Actor actor)
    {
        if (machine.OwnerId is { } owner && owner != actor.UserId)
        {
            throw new ConflictException("Can't allocate a machine belonging to another user.");
        }
    }

    private static void EnsureOwned(Machine machine)
    {
        if (machine.OwnerId is null)
        {
            throw new ConflictException("Can't start node: it hasn't been allocated.");
        }
    }

    private static void EnsurePowerType(Machine machine)
    {
        if (machine.PowerType.Length == 0)
        {
            throw new BadRequestException("Unconfigured power type. Please configure the power type and try again.");
        }
    }

    private static string Label(Machine machine) => NodeStatusInfo.Label(machine.Status);
}
