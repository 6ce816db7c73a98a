using Anvil.Domain.Boot;

namespace Anvil.Region.Metadata;

/// <summary>
/// The user-data a machine in the ephemeral environment gets from <c>…/user-data</c>: what starts
/// the script runner (MAAS sends a script embedding its runner). Register one to replace
/// <see cref="ExecRunnerUserData"/>.
/// </summary>
public interface IEphemeralUserData
{
    /// <summary>The bytes to send, or null for 404 (nothing to run).</summary>
    Task<byte[]?> GetAsync(EphemeralUserDataRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Who is asking: <paramref name="SystemId"/> null while enlisting; <paramref name="Purpose"/> is
/// <see cref="BootPurpose.PowerOff"/> for a machine that should switch itself off;
/// <paramref name="MetadataUrl"/> ends in <c>/MAAS/metadata/</c> and is reachable from the machine.
/// </summary>
public sealed record EphemeralUserDataRequest(string? SystemId, int? Status, BootPurpose Purpose, string MetadataUrl);

/// <summary>
/// The default: a shell script that hands over to <c>/anvil/runner</c> when the environment has
/// one, and powers a machine off when that is what it should do.
/// </summary>
public sealed class ExecRunnerUserData : IEphemeralUserData
{
    public const string RunnerPath = "/anvil/runner";

    public Task<byte[]?> GetAsync(EphemeralUserDataRequest request, CancellationToken cancellationToken)
    {
        var script = request.Purpose == BootPurpose.PowerOff
            ? "#!/bin/sh\n# Anvil: nothing to do for this machine.\npoweroff -f\n"
            : $"#!/bin/sh\n# Anvil ephemeral environment: hand over to the script runner.\n"
              + $"if [ -x {RunnerPath} ]; then\n    exec {RunnerPath} \"$@\"\nfi\n"
              + $"echo \"anvil: {RunnerPath} is missing from this environment\" >&2\nexit 1\n";
        return Task.FromResult<byte[]?>(System.Text.Encoding.UTF8.GetBytes(script));
    }
}
