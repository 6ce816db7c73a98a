using System.Diagnostics;
using Anvil.Data.Images;

namespace Anvil.Region.Images;

/// <summary>
/// Checks a clearsigned simplestreams document (<c>.sjson</c>) with <c>gpgv</c> against a source's
/// keyring (its <c>keyring_data</c>, else the file <c>keyring_filename</c>) and returns the signed text
/// as gpgv writes it out. gpgv runs with a throwaway home, so no other keys count.
/// </summary>
public sealed class GpgVerifier
{
    public string GpgvPath { get; init; } = "/usr/bin/gpgv";

    public async Task<byte[]> VerifyAsync(byte[] signed, BootSourceRecord source, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("anvil-gpgv-");
        try
        {
            var keyring = source.KeyringData.Length > 0 ? Path.Combine(work.FullName, "keyring.gpg") : source.KeyringFilename;
            if (source.KeyringData.Length > 0)
                await File.WriteAllBytesAsync(keyring, source.KeyringData, ct);
            else if (keyring.Length == 0 || !File.Exists(keyring))
                throw new ImportException($"Boot source {source.Url} has no keyring to check signatures with (keyring_filename '{keyring}').");

            var input = Path.Combine(work.FullName, "document.sjson");
            var output = Path.Combine(work.FullName, "document.json");
            await File.WriteAllBytesAsync(input, signed, ct);
            var start = new ProcessStartInfo(GpgvPath)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                ArgumentList = { "--homedir", work.FullName, "--keyring", Path.GetFullPath(keyring), "--output", output, input },
            };
            using var process = StartGpgv(start);
            var errors = process.StandardError.ReadToEndAsync(ct);
            _ = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new ImportException($"The signature of a document from {source.Url} did not verify: {(await errors).Trim()}");
            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Process StartGpgv(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new ImportException("gpgv could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImportException($"{start.FileName} could not be run ({e.Message}): apt-get install gpgv, or set skip_keyring_verification on the source.", e);
        }
    }
}

/// <summary>An import that could not proceed (unreachable mirror, bad signature, unusable document).</summary>
public sealed class ImportException(string message, Exception? inner = null) : Exception(message, inner);
