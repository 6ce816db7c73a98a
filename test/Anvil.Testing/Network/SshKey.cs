namespace Anvil.Testing.Network;

/// <summary>
/// An ed25519 key pair made by <c>ssh-keygen</c> for one test, and the OpenSSH client logging in
/// with it as root (host keys are not checked: every lab machine makes fresh ones). Disposing
/// deletes the key files.
/// </summary>
public sealed class SshKey : IDisposable
{
    private readonly string privateKeyPath;

    private SshKey(string privateKeyPath, string publicKey)
    {
        this.privateKeyPath = privateKeyPath;
        PublicKey = publicKey;
    }

    /// <summary>The public key line, as a user uploads it.</summary>
    public string PublicKey { get; }

    public static async Task<SshKey> CreateAsync(string directory)
    {
        var path = Path.Combine(directory, $"ssh-key-{TestNames.Suffix()}");
        await HostCommand.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "anvil-test", "-f", path);
        return new SshKey(path, (await File.ReadAllTextAsync(path + ".pub")).Trim());
    }

    /// <summary>Runs <paramref name="command"/> as root on <paramref name="address"/>; the exit code is ssh's (255: could not log in).</summary>
    public Task<CommandResult> RunAsync(string address, string command) =>
        HostCommand.TryRunAsync(TimeSpan.FromMinutes(3), "ssh",
        [
            "-i", privateKeyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=60", $"root@{address}", command,
        ]);

    public void Dispose()
    {
        File.Delete(privateKeyPath);
        File.Delete(privateKeyPath + ".pub");
    }
}
