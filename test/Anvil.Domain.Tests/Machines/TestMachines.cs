using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Xunit;

namespace Anvil.Domain.Tests.Machines;

/// <summary>Fresh machines and the people acting on them; every call builds new objects.</summary>
internal static class TestMachines
{
    public const int NodeTimeout = 30;

    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static Actor Admin => new(1, "admin", IsAdmin: true);

    public static Actor Alice => new(2, "alice", IsAdmin: false);

    public static Actor Bob => new(3, "bob", IsAdmin: false);

    public static Machine In(NodeStatus status, Actor? owner = null, string powerState = PowerState.Off) => new()
    {
        Id = 7,
        SystemId = "abc123",
        Hostname = "node7",
        Status = status,
        PreviousStatus = NodeStatus.NEW,
        OwnerId = owner?.UserId,
        OwnerName = owner?.Username,
        PowerType = "ipmi",
        PowerState = powerState,
    };

    /// <summary>A machine in the status, owned by Alice when the status is one that has an owner.</summary>
    public static Machine Typical(NodeStatus status) =>
        In(status, NodeStatusInfo.IsAllocated(status) ? Alice : null);

    public static TheoryData<NodeStatus> AllStatuses()
    {
        var data = new TheoryData<NodeStatus>();
        foreach (var status in Enum.GetValues<NodeStatus>())
        {
            data.Add(status);
        }

        return data;
    }
}
