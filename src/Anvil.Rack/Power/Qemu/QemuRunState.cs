namespace Anvil.Rack.Power.Qemu;

/// <summary>QEMU's run states (<c>query-status</c>'s <c>status</c>) read under the lab's power convention.</summary>
internal static class QemuRunState
{
    public const string Prelaunch = "prelaunch";
    public const string Running = "running";

    public static PowerState ToPowerState(string? status) => status switch
    {
        // suspended: the guest is in S3; its power is on.
        Running or "suspended" => PowerState.On,

        // prelaunch: started with -S or reset while stopped; paused: stopped; shutdown: the guest
        // powered itself off and -no-shutdown kept the process.
        Prelaunch or "paused" or "shutdown" => PowerState.Off,
        "internal-error" or "io-error" or "guest-panicked" => PowerState.Error,
        _ => PowerState.Unknown,
    };
}
