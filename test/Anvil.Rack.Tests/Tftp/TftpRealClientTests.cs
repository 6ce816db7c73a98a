using System.Security.Cryptography;
using Anvil.Rack.Tests.Tftp.Support;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Tftp;

/// <summary>
/// Real clients against the server on loopback: tftp-hpa's <c>tftp</c> (plain RFC 1350, no options)
/// and curl (blksize, tsize and timeout). Content is compared by SHA-256.
/// </summary>
public sealed class TftpRealClientTests
{
    private const int HundredMegabytes = 100 * 1024 * 1024;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(512 * 4)]
    [InlineData(512 * 4 + 100)]
    public async Task Tftp_hpa_gets_the_file_in_binary_mode(int length)
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("pxelinux.0", length, seed: length);
        using var downloads = new TempDirectory();

        var result = await TftpHpaGetAsync(host, "pxelinux.0", downloads.File("got"));

        result.ExitCode.ShouldBe(0, result.Output);
        Sha256(downloads.File("got")).ShouldBe(SHA256.HashData(content));
    }

    [Fact]
    public async Task Tftp_hpa_gets_100_megabytes_across_block_number_wraps()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("squashfs", HundredMegabytes, seed: 42);
        using var downloads = new TempDirectory();

        var result = await TftpHpaGetAsync(host, "squashfs", downloads.File("got"));

        result.ExitCode.ShouldBe(0, result.Output);
        Sha256(downloads.File("got")).ShouldBe(SHA256.HashData(content));
        host.Value("anvil_tftp_bytes_sent_total").ShouldBeGreaterThanOrEqualTo(HundredMegabytes);
    }

    [Fact]
    public async Task Tftp_hpa_ascii_mode_gets_the_text_back_unchanged()
    {
        await using var host = await TftpServerHost.StartAsync();
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => $"LABEL l{i}\n  KERNEL vmlinuz\n"));
        var content = host.Files.Add("pxelinux.cfg/default", System.Text.Encoding.ASCII.GetBytes(text));
        using var downloads = new TempDirectory();

        var result = await PeerProcess.RunAsync(
            "tftp", ["127.0.0.1", host.Port.ToString(), "-m", "ascii", "-c", "get", "pxelinux.cfg/default", downloads.File("got")], downloads.Path);

        result.ExitCode.ShouldBe(0, result.Output);
        File.ReadAllBytes(downloads.File("got")).ShouldBe(content);
    }

    // Not 0 bytes: curl 7.88 fails an empty file offered with tsize 0 (getpeername, error 71), from
    // tftpd-hpa as well; the raw client covers an empty file with options.
    [Theory]
    [InlineData(1)]
    [InlineData(1468)]
    [InlineData(1468 * 4)]
    [InlineData(100_000)]
    public async Task Curl_gets_the_file_with_blksize_1468(int length)
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("bootx64.efi", length, seed: length);
        using var downloads = new TempDirectory();

        var result = await CurlGetAsync(host, "bootx64.efi", downloads.File("got"), "--tftp-blksize", "1468");

        result.ExitCode.ShouldBe(0, result.Output);
        Sha256(downloads.File("got")).ShouldBe(SHA256.HashData(content));
        host.Value("anvil_tftp_transfers_total", ("result", "completed")).ShouldBe(1);
    }

    [Fact]
    public async Task Curl_gets_100_megabytes_with_blksize_1468()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("rootfs.squashfs", HundredMegabytes, seed: 43);
        using var downloads = new TempDirectory();

        var result = await CurlGetAsync(host, "rootfs.squashfs", downloads.File("got"), "--tftp-blksize", "1468");

        result.ExitCode.ShouldBe(0, result.Output);
        Sha256(downloads.File("got")).ShouldBe(SHA256.HashData(content));
    }

    [Fact]
    public async Task Curl_without_options_gets_the_file()
    {
        await using var host = await TftpServerHost.StartAsync();
        var content = host.Files.AddRandom("grubx64.efi", 3000, seed: 44);
        using var downloads = new TempDirectory();

        var result = await CurlGetAsync(host, "grubx64.efi", downloads.File("got"), "--tftp-no-options");

        result.ExitCode.ShouldBe(0, result.Output);
        Sha256(downloads.File("got")).ShouldBe(SHA256.HashData(content));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/../etc/passwd")]
    public async Task Tftp_hpa_asking_outside_the_boot_directory_gets_an_access_violation(string name)
    {
        await using var host = await TftpServerHost.StartAsync();
        using var downloads = new TempDirectory();

        var result = await TftpHpaGetAsync(host, name, downloads.File("got"));

        result.Output.ShouldContain("Error code 2");
        host.Files.Requested.ShouldBeEmpty();
        host.Value("anvil_tftp_transfers_total", ("result", "access_violation")).ShouldBe(1);
    }

    [Fact]
    public async Task Tftp_hpa_asking_for_a_missing_file_gets_file_not_found()
    {
        await using var host = await TftpServerHost.StartAsync();
        using var downloads = new TempDirectory();

        var result = await TftpHpaGetAsync(host, "pxelinux.cfg/01-52-54-00-00-00-01", downloads.File("got"));

        result.Output.ShouldContain("Error code 1");
    }

    private static Task<PeerProcess.Result> TftpHpaGetAsync(TftpServerHost host, string name, string destination) =>
        PeerProcess.RunAsync("tftp", ["127.0.0.1", host.Port.ToString(), "-m", "binary", "-c", "get", name, destination], Path.GetDirectoryName(destination)!);

    private static Task<PeerProcess.Result> CurlGetAsync(TftpServerHost host, string name, string destination, params string[] options) =>
        PeerProcess.RunAsync("curl", ["--silent", "--show-error", .. options, "-o", destination, $"tftp://127.0.0.1:{host.Port}/{name}"], Path.GetDirectoryName(destination)!);

    private static byte[] Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return SHA256.HashData(file);
    }
}
