namespace Anvil.Domain.Machines;

/// <summary>MAAS's per-node permissions (maas-api.md §3.0); the lower-case names are MAAS's.</summary>
public enum NodePermission
{
    View,
    Edit,
    Lock,
    Admin,
    AdminRead,
}
