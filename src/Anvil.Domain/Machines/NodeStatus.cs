namespace Anvil.Domain.Machines;

/// <summary>
/// MAAS NODE_STATUS. The numeric values are part of the wire format and are persisted;
/// never renumber them (a golden test freezes them).
/// </summary>
public enum NodeStatus
{
    NEW = 0,
    COMMISSIONING = 1,
    FAILED_COMMISSIONING = 2,
    MISSING = 3,
    READY = 4,
    RESERVED = 5,
    DEPLOYED = 6,
    RETIRED = 7,
    BROKEN = 8,
    DEPLOYING = 9,
    ALLOCATED = 10,
    FAILED_DEPLOYMENT = 11,
    RELEASING = 12,
    FAILED_RELEASING = 13,
    DISK_ERASING = 14,
    FAILED_DISK_ERASING = 15,
    RESCUE_MODE = 16,
    ENTERING_RESCUE_MODE = 17,
    FAILED_ENTERING_RESCUE_MODE = 18,
    EXITING_RESCUE_MODE = 19,
    FAILED_EXITING_RESCUE_MODE = 20,
    TESTING = 21,
    FAILED_TESTING = 22,
}
