using Anvil.Lab.Vms;
using Anvil.Testing.Network;

namespace Anvil.Testing.Lab;

/// <summary>
/// Runs the ephemeral environment's script runner (ephemeral/runner.sh) on this host under busybox
/// sh, the way ephemeral/run-on-host.sh does, with its settings in the environment and a scratch
/// directory of its own that is deleted afterwards. The scripts it is given really run here.
/// </summary>
public static class RunnerOnHost
{
    public static async Task<CommandResult> RunAsync(string preseedUrl, string macs, TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null)
    {
        var work = Directory.CreateTempSubdirectory("anvil-runner-test-");
        try
        {
            var runner = Path.Combine(EphemeralImage.RepositoryRoot(), "ephemeral", "runner.sh");
            var info = HostCommand.StartInfo("busybox", ["sh", runner]);
            info.Environment["ANVIL_CLOUD_CONFIG_URL"] = preseedUrl;
            info.Environment["ANVIL_MACS"] = macs;
            info.Environment["ANVIL_WORK"] = work.FullName;
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
                info.Environment[name] = value;
            return HostCommand.From(await LabCommand.RunAsync(info, timeout, "The runner"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
