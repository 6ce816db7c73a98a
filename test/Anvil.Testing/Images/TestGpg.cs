using System.Diagnostics;

namespace Anvil.Testing.Images;

/// <summary>
/// A throwaway GnuPG home (GNUPGHOME in a temp directory) with one signing key made for the test:
/// clearsigns documents and exports the public keyring that gpgv checks against. Disposing stops
/// the agent it started and deletes the directory.
/// </summary>
public sealed class TestGpg : IAsyncDisposable
{
    private TestGpg(string home) => Home = home;

    public string Home { get; }

    public static async Task<TestGpg> CreateAsync()
    {
        var home = Directory.CreateTempSubdirectory("anvil-test-gnupg-").FullName;
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var gpg = new TestGpg(home);
        await gpg.RunAsync(null, "--batch", "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "Anvil Test Mirror <mirror@example.com>", "ed25519", "sign", "never");
        return gpg;
    }

    /// <summary>The public key in binary keyring form (what a boot source's keyring_data holds).</summary>
    public async Task<byte[]> ExportKeyringAsync() => await RunAsync(null, "--batch", "--export");

    public async Task<byte[]> ClearsignAsync(byte[] document) => await RunAsync(document, "--batch", "--yes", "--clearsign");

    private async Task<byte[]> RunAsync(byte[]? input, params string[] args)
    {
        var start = new ProcessStartInfo("gpg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GNUPGHOME"] = Home;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        if (input is not null)
            await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await copy;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"gpg {string.Join(' ', args)} failed: {await errors}");
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        var kill = new ProcessStartInfo("gpgconf", ["--homedir", Home, "--kill", "all"]) { UseShellExecute = false, RedirectStandardError = true };
        using (var process = Process.Start(kill))
        {
            if (process is not null)
                await process.WaitForExitAsync();
        }

        Directory.Delete(Home, recursive: true);
    }
}
