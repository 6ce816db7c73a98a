namespace Anvil.Domain.Machines;

/// <summary>
/// MAAS's simplified statuses (the <c>simple_status</c> filter). Short names are the lower-case
/// member names; labels come from <see cref="NodeStatusInfo.SimpleLabel"/>.
/// </summary>
public enum SimpleNodeStatus
{
    ALLOCATED,
    BROKEN,
    COMMISSIONING,
    DEPLOYED,
    DEPLOYING,
    FAILED,
    NEW,
    READY,
    RELEASING,
    RESCUE_MODE,
    TESTING,
    OTHER,
}
