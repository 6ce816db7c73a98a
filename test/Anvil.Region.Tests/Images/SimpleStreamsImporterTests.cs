using Anvil.Data.Images;
using Anvil.Region.Images;
using Anvil.Testing.Images;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Images;

/// <summary>Imports from a small simplestreams mirror the test builds and serves on loopback; one host (database, store) per test.</summary>
public sealed class SimpleStreamsImporterTests : IAsyncLifetime
{
    private readonly ImagesTestHost host = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static MirrorImage Jammy(string version, int seed, string arch = "amd64") => new(
        "ubuntu", "jammy", arch, "ga-22.04", "stable", version,
        [new MirrorFile("boot-kernel", "boot-kernel", Bytes(3000, seed)), new MirrorFile("boot-initrd", "boot-initrd", Bytes(5000, seed + 1)), new MirrorFile("squashfs", "squashfs", Bytes(20_000, seed + 2))]);

    private async Task AddSourceAsync(string url, string[] arches, byte[]? keyring = null) =>
        await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var source = await BootSourceStore.InsertAsync(
                    c, tx, new BootSourceRecord { Url = url, KeyringData = keyring ?? [], SkipKeyringVerification = keyring is null }, CancellationToken.None);
                await BootSourceStore.InsertSelectionAsync(c, tx, new BootSourceSelectionRecord { BootSourceId = source!.Id, Os = "ubuntu", Release = "jammy", Arches = arches }, CancellationToken.None);
            },
            CancellationToken.None);

    private SimpleStreamsImporter Importer => host.Services.GetRequiredService<SimpleStreamsImporter>();

    private Task<IReadOnlyList<BootImageFileRow>> FilesAsync() =>
        host.Database.ReadAsync(c => BootResourceStore.AllFilesAsync(c, null, completeOnly: false, CancellationToken.None), CancellationToken.None);

    [Fact]
    public async Task An_unsigned_mirror_imports_only_the_selected_images_newest_version_into_the_store()
    {
        var wanted = Jammy("20240301", 10);
        await using var mirror = await SimpleStreamsMirror.StartAsync([Jammy("20240101", 1), wanted, Jammy("20240301", 20, arch: "arm64")]);
        await AddSourceAsync(mirror.Url, ["amd64"]);

        var report = await Importer.ImportAsync(CancellationToken.None);

        report.Errors.ShouldBeEmpty();
        report.FilesDownloaded.ShouldBe(3);
        var files = await FilesAsync();
        files.Select(f => (f.Name, f.Architecture, f.Version, f.Label, f.Filename)).Order().ShouldBe(
        [
            ("ubuntu/jammy", "amd64/ga-22.04", "20240301", "stable", "boot-initrd"),
            ("ubuntu/jammy", "amd64/ga-22.04", "20240301", "stable", "boot-kernel"),
            ("ubuntu/jammy", "amd64/ga-22.04", "20240301", "stable", "squashfs"),
        ]);
        files.ShouldAllBe(f => f.Rtype == 0 && f.BytesPresent == f.Size);
        foreach (var file in wanted.Files)
            File.ReadAllBytes(host.Store.PathOf(file.Sha256)).ShouldBe(file.Content);
        mirror.Server.Requests.ShouldNotContain(r => r.Path.Contains("arm64", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_newer_version_replaces_the_old_set_and_its_unshared_files_leave_the_store()
    {
        var old = Jammy("20240101", 1);
        await using var mirror = await SimpleStreamsMirror.StartAsync([old]);
        await AddSourceAsync(mirror.Url, ["*"]);
        (await Importer.ImportAsync(CancellationToken.None)).Errors.ShouldBeEmpty();

        var newer = Jammy("20240401", 50);
        await mirror.PublishAsync([newer]);
        (await Importer.ImportAsync(CancellationToken.None)).Errors.ShouldBeEmpty();

        (await FilesAsync()).Select(f => f.Version).Distinct().ShouldBe(["20240401"]);
        old.Files.ShouldAllBe(f => !host.Store.Has(f.Sha256));
        newer.Files.ShouldAllBe(f => host.Store.Has(f.Sha256));
    }

    [Fact]
    public async Task A_signed_mirror_is_imported_when_its_signature_verifies_against_the_sources_keyring()
    {
        await using var gpg = await TestGpg.CreateAsync();
        await using var mirror = await SimpleStreamsMirror.StartAsync([Jammy("20240301", 30)], gpg);
        await AddSourceAsync(mirror.Url, ["amd64"], await gpg.ExportKeyringAsync());

        var report = await Importer.ImportAsync(CancellationToken.None);

        report.Errors.ShouldBeEmpty();
        report.Images.ShouldBe(1);
        mirror.Server.Requests.Select(r => r.Path).ShouldContain("streams/v1/index.sjson");
        mirror.Server.Requests.Select(r => r.Path).ShouldContain("streams/v1/com.ubuntu.maas:stable:v3:download.sjson");
    }

    [Fact]
    public async Task A_signature_by_a_key_outside_the_keyring_stops_the_import_of_that_source()
    {
        await using var signer = await TestGpg.CreateAsync();
        await using var other = await TestGpg.CreateAsync();
        await using var mirror = await SimpleStreamsMirror.StartAsync([Jammy("20240301", 40)], signer);
        await AddSourceAsync(mirror.Url, ["amd64"], await other.ExportKeyringAsync());

        var report = await Importer.ImportAsync(CancellationToken.None);

        report.Errors.ShouldHaveSingleItem().ShouldContain("did not verify");
        (await FilesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_download_cut_off_halfway_resumes_with_a_range_request_and_completes()
    {
        var image = Jammy("20240301", 60);
        await using var mirror = await SimpleStreamsMirror.StartAsync([image]);
        var squashfsPath = mirror.Server.Files.Keys.Single(k => k.EndsWith("/squashfs", StringComparison.Ordinal));
        mirror.Server.DropHalfwayOnce[squashfsPath] = true;
        await AddSourceAsync(mirror.Url, ["amd64"]);

        var report = await Importer.ImportAsync(CancellationToken.None);

        report.Errors.ShouldBeEmpty();
        var requests = mirror.Server.Requests.Where(r => r.Path == squashfsPath).ToList();
        requests.Count.ShouldBe(2);
        requests[0].Range.ShouldBeNull();
        requests[1].Range.ShouldBe($"bytes={20_000 / 2}-");
        var squashfs = image.Files.Single(f => f.Name == "squashfs");
        File.ReadAllBytes(host.Store.PathOf(squashfs.Sha256)).ShouldBe(squashfs.Content);
        File.Exists(host.Store.PartialPathOf(squashfs.Sha256)).ShouldBeFalse();
    }

    [Fact]
    public async Task Uploaded_resources_of_the_same_name_are_left_alone()
    {
        await using var mirror = await SimpleStreamsMirror.StartAsync([Jammy("20240301", 70)]);
        await AddSourceAsync(mirror.Url, ["amd64"]);
        await host.Database.InTransactionAsync(
            (c, tx) => BootResourceStore.UpsertAsync(c, tx, new BootResourceRecord { Rtype = 2, Name = "ubuntu/jammy", Architecture = "amd64/ga-22.04" }, CancellationToken.None),
            CancellationToken.None);

        await Importer.ImportAsync(CancellationToken.None);

        var resources = await host.Database.ReadAsync(c => BootResourceStore.ListAsync(c, null, null, CancellationToken.None), CancellationToken.None);
        resources.ShouldHaveSingleItem().Rtype.ShouldBe(2);
        (await FilesAsync()).ShouldBeEmpty();
    }
}
