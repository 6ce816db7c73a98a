namespace Anvil.Domain.Machines;

/// <summary>MAAS NODE_TYPE; persisted and on the wire.</summary>
public enum NodeType
{
    MACHINE = 0,
    DEVICE = 1,
    RACK_CONTROLLER = 2,
    REGION_CONTROLLER = 3,
    REGION_AND_RACK_CONTROLLER = 4,
}
