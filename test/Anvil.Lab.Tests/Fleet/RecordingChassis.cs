using Anvil.Lab.Fleet;

namespace Anvil.Lab.Tests.Fleet;

/// <summary>A chassis that only remembers what it was told, for BMC tests.</summary>
internal sealed class RecordingChassis : IChassis
{
    private readonly List<string> actions = [];

    public bool IsOn { get; private set; }

    public IReadOnlyList<string> Actions
    {
        get
        {
            lock (actions)
                return [.. actions];
        }
    }

    public void PowerOn() => Record("on", true);

    public void PowerOff() => Record("off", false);

    public void PowerCycle() => Record("cycle", true);

    public void SoftOff() => Record("soft", false);

    public void SetNextBootPxe() => Record("pxe", IsOn);

    private void Record(string action, bool on)
    {
        lock (actions)
            actions.Add(action);
        IsOn = on;
    }
}
