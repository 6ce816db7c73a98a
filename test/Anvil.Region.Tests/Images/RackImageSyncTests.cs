using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Anvil.Data.Images;
using Anvil.Rack.Images;
using Anvil.Region.Deploy;
using Anvil.Region.Images;
using Anvil.Region.Tests.Support;
using Anvil.Rpc.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Images;

/// <summary>
/// Rack image sync end to end: the region's store and manifest (real database, real endpoint) feed a
/// <see cref="RackImageSync"/> writing into a temp boot-resources directory; one host per test.
/// </summary>
public sealed class RackImageSyncTests : IAsyncLifetime
{
    private readonly ImagesTestHost host = new();
    private readonly string bootResources = Directory.CreateTempSubdirectory("anvil-rack-images-test-").FullName;
    private readonly RangeRecorder recorder = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(bootResources, recursive: true);
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<(long ResourceId, string Sha256)> AddImageAsync(string name, byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await host.Store.AppendAsync(sha, new MemoryStream(content), content.Length, CancellationToken.None);
        (await host.Store.TryCompleteAsync(sha, content.Length, CancellationToken.None)).ShouldBeTrue();
        var id = await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var resource = await BootResourceStore.UpsertAsync(c, tx, new BootResourceRecord { Rtype = 2, Name = name, Architecture = "amd64/generic" }, CancellationToken.None);
                var set = await BootResourceStore.EnsureSetAsync(c, tx, resource.Id, "20240101", "uploaded", CancellationToken.None);
                await BootResourceStore.UpsertFileAsync(c, tx, set.Id, "root-tgz", "root-tgz", sha, content.Length, content.Length, "{}", CancellationToken.None);
                return resource.Id;
            },
            CancellationToken.None);
        return (id, sha);
    }

    private async Task<(RackImageSync Sync, long RackId, string SystemId)> RackAsync()
    {
        var (rackId, systemId) = await host.CreateRackAsync();
        var region = new InProcessRegion(host.Services.GetRequiredService<RackImageManifest>(), rackId, systemId);
        return (new RackImageSync(bootResources, region, host.RawClient(recorder), NullLogger.Instance), rackId, systemId);
    }

    private async Task<string> RackPathAsync(string name) =>
        (await host.Services.GetRequiredService<IDeployImages>().FindAsync(name.Split('/')[0], name.Split('/')[1], "amd64/generic", CancellationToken.None))!.Path;

    [Fact]
    public async Task A_rack_copies_the_regions_files_into_the_maas_layout_and_reports_itself_synced()
    {
        var content = Bytes(50_000, 1);
        await AddImageAsync("debian/bookworm", content);
        var (sync, rackId, _) = await RackAsync();
        await using var _ = sync;

        var result = await sync.SyncNowAsync(CancellationToken.None);

        result.Complete.ShouldBeTrue();
        result.Downloaded.ShouldBe(1);
        var path = await RackPathAsync("debian/bookworm");
        File.ReadAllBytes(Path.Combine(bootResources, "images", path)).ShouldBe(content);
        var status = await host.Services.GetRequiredService<RackImageManifest>().StatusAsync(rackId, CancellationToken.None);
        status.Status.ShouldBe("synced");
        var image = status.Images.ShouldHaveSingleItem();
        (image.Name, image.Architecture).ShouldBe(("debian/bookworm", "amd64"));
        image.Subarches.ShouldBe(["generic"]);

        var again = await sync.SyncNowAsync(CancellationToken.None);
        again.Downloaded.ShouldBe(0);
        recorder.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_partial_copy_left_by_an_interrupted_sync_is_resumed_with_a_range_and_verified()
    {
        var content = Bytes(80_000, 2);
        await AddImageAsync("debian/trixie", content);
        var (sync, _, _) = await RackAsync();
        await using var _ = sync;
        var target = Path.Combine(bootResources, "images", await RackPathAsync("debian/trixie"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".partial", content[..30_000]);

        var result = await sync.SyncNowAsync(CancellationToken.None);

        result.Complete.ShouldBeTrue();
        result.BytesDownloaded.ShouldBe(50_000);
        recorder.Requests.ShouldHaveSingleItem().ShouldBe("bytes=30000-");
        File.ReadAllBytes(target).ShouldBe(content);
        File.Exists(target + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task A_partial_copy_with_wrong_bytes_is_dropped_and_fetched_again_whole()
    {
        var content = Bytes(20_000, 3);
        await AddImageAsync("debian/sid", content);
        var (sync, _, _) = await RackAsync();
        await using var _ = sync;
        var target = Path.Combine(bootResources, "images", await RackPathAsync("debian/sid"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".partial", Bytes(10_000, 99));

        var first = await sync.SyncNowAsync(CancellationToken.None);
        first.Complete.ShouldBeFalse();
        first.Errors.ShouldHaveSingleItem().ShouldContain("sha256");
        File.Exists(target).ShouldBeFalse();

        var second = await sync.SyncNowAsync(CancellationToken.None);
        second.Complete.ShouldBeTrue();
        File.ReadAllBytes(target).ShouldBe(content);
    }

    [Fact]
    public async Task Files_of_deleted_resources_go_but_the_ephemeral_environment_and_bootloaders_stay()
    {
        var (resourceId, _) = await AddImageAsync("debian/bullseye", Bytes(1000, 4));
        var (sync, rackId, _) = await RackAsync();
        await using var _ = sync;
        var ephemeral = Path.Combine(bootResources, "anvil", "amd64", "generic", "ephemeral", "stable", "vmlinuz");
        var bootloader = Path.Combine(bootResources, "images", "bootx64.efi");
        Directory.CreateDirectory(Path.GetDirectoryName(ephemeral)!);
        Directory.CreateDirectory(Path.GetDirectoryName(bootloader)!);
        File.WriteAllText(ephemeral, "kernel");
        File.WriteAllText(bootloader, "efi");
        (await sync.SyncNowAsync(CancellationToken.None)).Complete.ShouldBeTrue();
        var path = Path.Combine(bootResources, "images", await RackPathAsync("debian/bullseye"));
        File.Exists(path).ShouldBeTrue();

        await host.Database.InTransactionAsync((c, tx) => BootResourceStore.DeleteAsync(c, tx, resourceId, CancellationToken.None), CancellationToken.None);
        var result = await sync.SyncNowAsync(CancellationToken.None);

        result.Removed.ShouldBe(1);
        File.Exists(path).ShouldBeFalse();
        Directory.Exists(Path.Combine(bootResources, "images", path.Split('/')[^7])).ShouldBeFalse();
        File.ReadAllText(ephemeral).ShouldBe("kernel");
        File.ReadAllText(bootloader).ShouldBe("efi");
        (await host.Services.GetRequiredService<RackImageManifest>().StatusAsync(rackId, CancellationToken.None)).Images.ShouldBeEmpty();
    }

    [Fact]
    public async Task List_boot_images_shows_unknown_for_a_rack_that_never_reported()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (_, systemId) = await host.CreateRackAsync();

        var json = await (await admin.GetOpAsync($"rackcontrollers/{systemId}/", "list_boot_images")).ShouldBeJsonAsync();

        json.GetProperty("status").GetString().ShouldBe("unknown");
        json.GetProperty("images").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task List_boot_images_shows_what_the_rack_reported()
    {
        var admin = await host.CreateUserAsync(admin: true);
        await AddImageAsync("debian/bookworm", Bytes(100, 5));
        var (sync, _, systemId) = await RackAsync();
        await using var _ = sync;
        await sync.SyncNowAsync(CancellationToken.None);

        var json = await (await admin.GetOpAsync($"rackcontrollers/{systemId}/", "list_boot_images")).ShouldBeJsonAsync(HttpStatusCode.OK);

        json.GetProperty("status").GetString().ShouldBe("synced");
        var image = json.GetProperty("images").EnumerateArray().ShouldHaveSingleItem();
        image.GetProperty("name").GetString().ShouldBe("debian/bookworm");
        image.GetProperty("architecture").GetString().ShouldBe("amd64");
        image.GetProperty("subarches").EnumerateArray().Select(s => s.GetString()).ShouldBe(["generic"]);
    }

    /// <summary>The region as the rack's link would present it, calling the region's services in process.</summary>
    private sealed class InProcessRegion(RackImageManifest manifest, long rackId, string systemId) : IImageSyncRegion
    {
        public Task<BootImagesResponse> GetManifestAsync(string? knownVersion, CancellationToken ct) => manifest.GetAsync(knownVersion, ct);

        public Task ReportAsync(string syncedVersion, IReadOnlyList<RackBootImageDto> images, CancellationToken ct) =>
            manifest.ReportAsync(rackId, new ReportBootImagesRequest(systemId, syncedVersion, images), ct);

        public IReadOnlyList<Uri> ContentUrls(string sha256) => [new Uri($"http://localhost/MAAS/images-store/{sha256}")];
    }

    /// <summary>Records the Range header of every content request the rack makes.</summary>
    private sealed class RangeRecorder : DelegatingHandler
    {
        public ConcurrentQueue<string?> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request.Headers.Range?.ToString());
            return base.SendAsync(request, cancellationToken);
        }
    }
}
