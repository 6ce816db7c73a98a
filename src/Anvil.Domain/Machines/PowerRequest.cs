namespace Anvil.Domain.Machines;

/// <summary>What the region asks the machine's power driver to do once the transaction has committed.</summary>
public enum PowerRequest
{
    None,
    On,
    Off,
    /// <summary>Power off asking the OS to shut down first (MAAS <c>stop_mode=soft</c>).</summary>
    SoftOff,
    Cycle,
}
