namespace Anvil.Domain.Scripts;

/// <summary>The <c>status</c> of a metadata <c>op=signal</c> (maas-api.md §7.3, MAAS's SIGNAL_STATUS).</summary>
public enum SignalStatus
{
    Ok,
    Failed,
    Working,
    Commissioning,
    Testing,
    TimedOut,
    Installing,
    ApplyingNetconf,
    Releasing,
    Deploying,
}

public static class SignalStatuses
{
    private static readonly Dictionary<string, SignalStatus> ByName = new(StringComparer.Ordinal)
    {
        ["OK"] = SignalStatus.Ok,
        ["FAILED"] = SignalStatus.Failed,
        ["WORKING"] = SignalStatus.Working,
        ["COMMISSIONING"] = SignalStatus.Commissioning,
        ["TESTING"] = SignalStatus.Testing,
        ["TIMEDOUT"] = SignalStatus.TimedOut,
        ["INSTALLING"] = SignalStatus.Installing,
        ["APPLYING_NETCONF"] = SignalStatus.ApplyingNetconf,
        ["RELEASING"] = SignalStatus.Releasing,
        ["DEPLOYING"] = SignalStatus.Deploying,
    };

    /// <summary>MAAS's spelling, e.g. <c>TIMEDOUT</c>; case-sensitive as MAAS is.</summary>
    public static bool TryParse(string? text, out SignalStatus status) => ByName.TryGetValue(text ?? "", out status);
}
