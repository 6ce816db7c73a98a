using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Anvil.Client;

namespace Anvil.Lab.Fleet;

/// <summary>
/// The image the fleet deploys: a custom boot resource of a few KiB (a root tarball holding one
/// file) that the fleet makes and uploads once through the API, as an operator uploads a custom
/// image. Simulated installers download it and drop the bytes, so its size is not the point; that
/// the region names it in the install config and the rack serves it is.
/// </summary>
internal static class FleetImage
{
    public const string Name = "anvil-lab-fleet";

    /// <summary>What <c>distro_series</c> a deploy names to get this image.</summary>
    public const string DistroSeries = "custom/" + Name;

    private static readonly TimeSpan SyncPoll = TimeSpan.FromSeconds(1);

    /// <summary>Uploads the image unless a resource of that name exists already; true when it uploaded.</summary>
    public static async Task<bool> EnsureUploadedAsync(MaasClient admin, CancellationToken ct)
    {
        using (var listing = (await admin.GetAsync("boot-resources/", cancellationToken: ct)).ParseJson())
        {
            if (listing.RootElement.EnumerateArray().Any(r => r.TryGetProperty("name", out var name) && name.GetString() is Name or DistroSeries))
                return false;
        }

        var content = RootTarball();
        await admin.PostAsync("boot-resources/", null,
        [
            new("name", Name), new("architecture", "amd64/generic"), new("filetype", "tgz"), new("title", "anvil-lab fleet image"),
            new("sha256", Convert.ToHexStringLower(SHA256.HashData(content))), new("size", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], [new MaasFile("content", "root-tgz", content)], ct);
        return true;
    }

    /// <summary>
    /// Waits until every rack controller reports the region's current image list synced: the rack
    /// fetches new images on its own schedule (a pass a minute), and an install config names the
    /// rack's <c>/images/</c> URL.
    /// </summary>
    public static async Task WaitForRacksAsync(MaasClient admin, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<string> racks;
        using (var listing = (await admin.GetAsync("rackcontrollers/", cancellationToken: ct)).ParseJson())
            racks = [.. listing.RootElement.EnumerateArray().Select(r => r.GetProperty("system_id").GetString()!)];
        foreach (var rack in racks)
        {
            while (true)
            {
                using var images = (await admin.GetAsync($"rackcontrollers/{rack}/", "list_boot_images", cancellationToken: ct)).ParseJson();
                if (images.RootElement.TryGetProperty("status", out var status) && status.GetString() == "synced"
                    && images.RootElement.GetProperty("images").EnumerateArray().Any(i => i.GetProperty("name").GetString() is Name or DistroSeries))
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"rack {rack} did not sync the fleet image: {images.RootElement}");
                await Task.Delay(SyncPoll, ct);
            }
        }
    }

    /// <summary>A gzipped tar with one file, with fixed timestamps so every run makes the same bytes.</summary>
    internal static byte[] RootTarball()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var stamp = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "./etc/") { ModificationTime = stamp, Mode = (UnixFileMode)0b111_101_101 });
            // 4 KiB that do not compress (a hash chain), so the download is a few KiB as asked.
            var filler = new byte[4096];
            var block = SHA256.HashData(Encoding.ASCII.GetBytes(Name));
            for (var at = 0; at < filler.Length; at += block.Length)
            {
                block.CopyTo(filler, at);
                block = SHA256.HashData(block);
            }

            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "./etc/anvil-lab-filler")
            {
                ModificationTime = stamp,
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(filler),
            });
        }

        return buffer.ToArray();
    }
}
