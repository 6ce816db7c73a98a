namespace Anvil.Data.Controllers;

/// <summary>
/// The two controller roles a node can hold (maas-api.md §3.7). A region+rack controller
/// (node_type 4) holds both, and is listed by both resources.
/// </summary>
public enum ControllerRole
{
    Rack,
    Region,
}

public static class ControllerRoles
{
    public const int RackController = 2;
    public const int RegionController = 3;
    public const int RegionAndRackController = 4;

    /// <summary>The node types that hold the role.</summary>
    public static int[] NodeTypes(ControllerRole role) =>
        role == ControllerRole.Rack ? [RackController, RegionAndRackController] : [RegionController, RegionAndRackController];

    public static bool Holds(int nodeType, ControllerRole role) => NodeTypes(role).Contains(nodeType);
}
