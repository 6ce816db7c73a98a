using System.Diagnostics;
using Anvil.Lab.Vms;

namespace Anvil.Testing.Network;

/// <summary>The result of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs host commands (ip, sysctl, the DHCP clients …) for network tests, with a timeout so a hang
/// fails the test: the lab's <see cref="LabCommand"/>, under the name the tests use.
/// </summary>
public static class HostCommand
{
    public static readonly TimeSpan DefaultTimeout = LabCommand.DefaultTimeout;

    /// <summary>Runs the command and throws with its output when it exits non-zero.</summary>
    public static async Task<CommandResult> RunAsync(string file, params string[] arguments) => From(await LabCommand.RunAsync(file, arguments));

    /// <summary>Runs the command and returns whatever it did; kills it (and its children) after <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> TryRunAsync(TimeSpan timeout, string file, params string[] arguments) =>
        From(await LabCommand.TryRunAsync(timeout, file, arguments));

    internal static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments) => LabCommand.StartInfo(file, arguments);

    internal static CommandResult From(LabCommandResult result) => new(result.ExitCode, result.Output, result.Error);
}
