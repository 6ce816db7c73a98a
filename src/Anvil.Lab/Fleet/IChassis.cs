namespace Anvil.Lab.Fleet;

/// <summary>What a BMC switches: the machine's power. Calls return at once; the machine boots or stops on its own time.</summary>
internal interface IChassis
{
    bool IsOn { get; }

    void PowerOn();

    /// <summary>Hard off: the machine stops whatever it was doing.</summary>
    void PowerOff();

    /// <summary>Off, then on again: a running machine starts over from firmware.</summary>
    void PowerCycle();

    /// <summary>The ACPI power button: the OS shuts down. Simulated machines simply stop.</summary>
    void SoftOff();

    /// <summary>The next boot is a network boot (Set System Boot Options, boot flags).</summary>
    void SetNextBootPxe();
}
