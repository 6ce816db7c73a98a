using Anvil.Domain.Errors;
using Anvil.Domain.Users;

namespace Anvil.Domain.Machines;

/// <summary>
/// Who may do what to a node, as MAAS decides it without RBAC (maas-api.md §3.0). A locked
/// machine denies edit and admin to everyone, so every state-changing operation on it gets 403
/// until it is unlocked; lock and admin_read ignore the lock.
/// </summary>
public static class NodePermissions
{
    public static bool Has(Actor actor, Machine machine, NodePermission permission) => permission switch
    {
        NodePermission.View => true,
        NodePermission.Edit => !machine.Locked && OwnedByOrFree(actor, machine),
        // Only machines belong to a resource pool, and lock needs one.
        NodePermission.Lock => machine.NodeType == NodeType.MACHINE && OwnedByOrFree(actor, machine),
        NodePermission.Admin => actor.IsAdmin && !machine.Locked,
        NodePermission.AdminRead => actor.IsAdmin,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "Unknown node permission."),
    };

    /// <summary>Throws <see cref="ForbiddenException"/> (403) unless the actor has the permission.</summary>
    public static void Require(Actor actor, Machine machine, NodePermission permission)
    {
        if (!Has(actor, machine, permission))
        {
            var deniedOnlyByLock = machine.Locked && permission switch
            {
                NodePermission.Edit => OwnedByOrFree(actor, machine),
                NodePermission.Admin => actor.IsAdmin,
                _ => false,
            };
            throw new ForbiddenException(deniedOnlyByLock
                ? $"Machine '{machine.SystemId}' is locked; unlock it first."
                : $"You do not have permission to perform this action on machine '{machine.SystemId}'.");
        }
    }

    private static bool OwnedByOrFree(Actor actor, Machine machine) =>
        actor.IsAdmin || machine.OwnerId is null || machine.OwnerId == actor.UserId;
}
