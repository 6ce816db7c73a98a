namespace Anvil.Domain.Boot;

/// <summary>What a machine that network-boots should be given (MAAS's boot purposes).</summary>
public enum BootPurpose
{
    /// <summary>Unknown MAC: boot the ephemeral environment and enlist.</summary>
    Enlist,

    /// <summary>Commissioning, testing, erasing disks, rescue mode: boot the ephemeral environment.</summary>
    Commissioning,

    /// <summary>Deploying to disk: boot the ephemeral environment that installs the OS.</summary>
    Xinstall,

    /// <summary>Deployed to memory: boot the deployed OS over the network every time.</summary>
    Ephemeral,

    /// <summary>Deployed, a device, or a controller: boot from the local disk.</summary>
    Local,

    /// <summary>A machine with nothing to do (Ready, Allocated, Broken, failed states): switch itself off.</summary>
    PowerOff,
}
