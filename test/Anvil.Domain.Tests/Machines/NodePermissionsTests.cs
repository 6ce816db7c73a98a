using Anvil.Domain.Errors;
using Anvil.Domain.Machines;
using Anvil.Domain.Users;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Machines;

public sealed class NodePermissionsTests
{
    private static readonly string[] Actors = ["admin", "owner", "other"];

    private static readonly string[] Nodes = ["unowned", "owned", "locked", "device"];

    /// <summary>
    /// maas-api.md §3.0 per permission: for each actor (admin, owner, other user) the answer on
    /// an unowned machine, a machine owned by "owner", that machine locked, and an unowned
    /// device; 'y' = allowed.
    /// </summary>
    private static readonly Dictionary<NodePermission, string[]> Expected = new()
    {
        [NodePermission.View] = ["yyyy", "yyyy", "yyyy"],
        [NodePermission.Edit] = ["yy.y", "yy.y", "y..y"],
        [NodePermission.Lock] = ["yyy.", "yyy.", "y..."],
        [NodePermission.Admin] = ["yy.y", "....", "...."],
        [NodePermission.AdminRead] = ["yyyy", "....", "...."],
    };

    public static TheoryData<NodePermission, string, string, bool> Cases()
    {
        var data = new TheoryData<NodePermission, string, string, bool>();
        foreach (var (permission, rows) in Expected)
        {
            for (var a = 0; a < Actors.Length; a++)
            {
                for (var n = 0; n < Nodes.Length; n++)
                {
                    data.Add(permission, Actors[a], Nodes[n], rows[a][n] == 'y');
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_permission_is_covered() =>
        Expected.Keys.ShouldBe(Enum.GetValues<NodePermission>(), ignoreOrder: true);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Has_follows_MAAS_without_RBAC(NodePermission permission, string actor, string node, bool allowed) =>
        NodePermissions.Has(ActorNamed(actor), NodeNamed(node), permission).ShouldBe(allowed);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Require_throws_403_exactly_when_Has_is_false(NodePermission permission, string actor, string node, bool allowed)
    {
        var require = () => NodePermissions.Require(ActorNamed(actor), NodeNamed(node), permission);

        if (allowed)
        {
            require();
        }
        else
        {
            Should.Throw<ForbiddenException>(require);
        }
    }

    [Fact]
    public void Require_says_when_only_the_lock_is_in_the_way()
    {
        var machine = NodeNamed("locked");

        var error = Should.Throw<ForbiddenException>(() => NodePermissions.Require(TestMachines.Alice, machine, NodePermission.Edit));

        error.Message.ShouldContain("locked");
    }

    private static Actor ActorNamed(string name) => name switch
    {
        "admin" => TestMachines.Admin,
        "owner" => TestMachines.Alice,
        _ => TestMachines.Bob,
    };

    private static Machine NodeNamed(string name) => name switch
    {
        "unowned" => TestMachines.In(NodeStatus.READY),
        "owned" => TestMachines.In(NodeStatus.DEPLOYED, TestMachines.Alice),
        "locked" => Locked(TestMachines.In(NodeStatus.DEPLOYED, TestMachines.Alice)),
        _ => new Machine { SystemId = "dev1", Hostname = "device1", NodeType = NodeType.DEVICE },
    };

    private static Machine Locked(Machine machine)
    {
        machine.Locked = true;
        return machine;
    }
}
