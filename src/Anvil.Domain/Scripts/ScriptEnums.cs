namespace Anvil.Domain.Scripts;

// MAAS's enums (src/metadataserver/enum.py), with MAAS's numbers: they are stored as integers
// (0005_scripts.sql) and appear as numbers in the API.

/// <summary>When a script runs: MAAS's SCRIPT_TYPE.</summary>
public enum ScriptType
{
    Commissioning = 0,
    Testing = 2,
    Release = 3,
}

/// <summary>What a script examines: MAAS's HARDWARE_TYPE.</summary>
public enum HardwareType
{
    Node = 0,
    Cpu = 1,
    Memory = 2,
    Storage = 3,
    Network = 4,
    Gpu = 5,
}

/// <summary>Whether a script may run beside others: MAAS's SCRIPT_PARALLEL.</summary>
public enum ScriptParallel
{
    Disabled = 0,
    Instance = 1,
    Any = 2,
}

/// <summary>What a script set holds: MAAS's RESULT_TYPE.</summary>
public enum ResultType
{
    Commissioning = 0,
    Installation = 1,
    Testing = 2,
    Release = 3,
}

/// <summary>One script result's state: MAAS's SCRIPT_STATUS.</summary>
public enum ScriptStatus
{
    Pending = 0,
    Running = 1,
    Passed = 2,
    Failed = 3,
    TimedOut = 4,
    Aborted = 5,
    Degraded = 6,
    Installing = 7,
    FailedInstalling = 8,
    Skipped = 9,
    ApplyingNetconf = 10,
    FailedApplyingNetconf = 11,
}
