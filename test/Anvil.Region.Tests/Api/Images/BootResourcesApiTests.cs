using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Data.Images;
using Anvil.Region.Deploy;
using Anvil.Region.Tests.Images;
using Anvil.Region.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Images;

public sealed class BootResourcesApiTests(ImagesTestHost host) : IClassFixture<ImagesTestHost>
{
    private static byte[] Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<(JsonElement Resource, string UploadUri)> DeclareAsync(ApiClient admin, string name, byte[] content, string filetype = "tgz", string? sha256 = null)
    {
        var json = await (await admin.PostAsync(
            "boot-resources/",
            ("name", name),
            ("architecture", "amd64/generic"),
            ("sha256", sha256 ?? Sha(content)),
            ("size", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("title", "Test image"),
            ("filetype", filetype))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var file = json.GetProperty("sets").EnumerateObject().Single().Value.GetProperty("files").EnumerateObject().Single().Value;
        return (json, file.TryGetProperty("upload_uri", out var uri) ? uri.GetString()! : "");
    }

    private static async Task<HttpResponseMessage> PutChunkAsync(HttpClient http, string uri, byte[] chunk)
    {
        var content = new ByteArrayContent(chunk);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await http.PutAsync(uri, content);
    }

    [Fact]
    public async Task An_upload_in_chunks_completes_the_file_and_a_deploy_of_that_os_and_series_finds_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var http = await host.CreateAdminHttpAsync();
        var content = Content(10_000, 1);
        var series = "bookworm" + Guid.NewGuid().ToString("N")[..6];
        var (resource, uploadUri) = await DeclareAsync(admin, $"debian/{series}", content);
        resource.GetProperty("type").GetString().ShouldBe("Uploaded");
        resource.GetProperty("name").GetString().ShouldBe($"debian/{series}");
        uploadUri.ShouldStartWith("/MAAS/api/2.0/boot-resources/");

        foreach (var chunk in content.Chunk(4096))
            await (await PutChunkAsync(http, uploadUri, chunk)).ShouldBeStatusAsync(HttpStatusCode.OK);

        var id = resource.GetProperty("id").GetInt64();
        var read = await (await admin.GetAsync($"boot-resources/{id}/")).ShouldBeJsonAsync();
        var set = read.GetProperty("sets").EnumerateObject().Single().Value;
        set.GetProperty("complete").GetBoolean().ShouldBeTrue();
        set.GetProperty("label").GetString().ShouldBe("uploaded");
        var file = set.GetProperty("files").GetProperty("root-tgz");
        file.GetProperty("sha256").GetString().ShouldBe(Sha(content));
        file.TryGetProperty("upload_uri", out _).ShouldBeFalse();
        File.ReadAllBytes(host.Store.PathOf(Sha(content))).ShouldBe(content);

        var image = await host.Services.GetRequiredService<IDeployImages>().FindAsync("debian", series, "amd64/generic", CancellationToken.None);
        image.ShouldNotBeNull();
        image.FileType.ShouldBe("root-tgz");
        image.Sha256.ShouldBe(Sha(content));
        image.Size.ShouldBe(content.Length);
        image.Path.ShouldBe($"{Sha(content)[..7]}/debian/amd64/generic/{series}/uploaded/root-tgz");
        (await host.Services.GetRequiredService<IDeployImages>().FindAsync("debian", series, "amd64/hwe-22.04", CancellationToken.None))!.Path.ShouldBe(image.Path);
        (await host.Services.GetRequiredService<IDeployImages>().FindAsync("debian", series, "arm64/generic", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Content_that_does_not_match_the_declared_sha256_is_refused_and_the_upload_starts_over()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var http = await host.CreateAdminHttpAsync();
        var content = Content(3000, 2);
        var wrong = Sha(Content(3000, 3));
        var (resource, uploadUri) = await DeclareAsync(admin, $"custom/bad-{Guid.NewGuid():N}"[..20], content, sha256: wrong);

        await (await PutChunkAsync(http, uploadUri, content[..1000])).ShouldBeStatusAsync(HttpStatusCode.OK);
        var refused = await (await PutChunkAsync(http, uploadUri, content[1000..])).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        refused.ShouldContain("SHA256");
        File.Exists(host.Store.PathOf(wrong)).ShouldBeFalse();
        File.Exists(host.Store.PartialPathOf(wrong)).ShouldBeFalse();
        var read = await (await admin.GetAsync($"boot-resources/{resource.GetProperty("id").GetInt64()}/")).ShouldBeJsonAsync();
        read.GetProperty("sets").EnumerateObject().Single().Value.GetProperty("complete").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Uploads_past_the_size_to_a_complete_file_or_without_data_are_refused()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var http = await host.CreateAdminHttpAsync();
        var content = Content(2000, 4);
        var (_, uploadUri) = await DeclareAsync(admin, $"custom/size-{Guid.NewGuid():N}"[..20], content, filetype: "ddraw");

        (await (await PutChunkAsync(http, uploadUri, Content(2001, 5))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldContain("Too much data");
        (await (await PutChunkAsync(http, uploadUri, [])).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldContain("Missing data");
        await (await PutChunkAsync(http, uploadUri, content)).ShouldBeStatusAsync(HttpStatusCode.OK);
        (await (await PutChunkAsync(http, uploadUri, content[..10])).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldContain("complete file");
    }

    [Fact]
    public async Task Only_admins_create_delete_or_upload_and_everyone_reads()
    {
        var user = await host.CreateUserAsync(admin: false);
        var admin = await host.CreateUserAsync(admin: true);
        var content = Content(100, 6);
        var (resource, _) = await DeclareAsync(admin, $"custom/perm-{Guid.NewGuid():N}"[..20], content);
        var id = resource.GetProperty("id").GetInt64();

        await (await user.PostAsync("boot-resources/", ("name", "debian/x"), ("architecture", "amd64/generic"), ("sha256", Sha(content)), ("size", "100")))
            .ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.DeleteAsync($"boot-resources/{id}/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.GetAsync($"boot-resources/{id}/")).ShouldBeJsonAsync();
        (await (await user.GetAsync("boot-resources/")).ShouldBeJsonAsync()).EnumerateArray().ShouldContain(r => r.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task The_list_filters_by_type_and_refuses_an_unknown_one()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (resource, _) = await DeclareAsync(admin, $"custom/list-{Guid.NewGuid():N}"[..20], Content(10, 7));
        var id = resource.GetProperty("id").GetInt64();

        (await (await admin.GetAsync("boot-resources/", ("type", "uploaded"))).ShouldBeJsonAsync()).EnumerateArray().ShouldContain(r => r.GetProperty("id").GetInt64() == id);
        (await (await admin.GetAsync("boot-resources/", ("type", "synced"))).ShouldBeJsonAsync()).EnumerateArray().ShouldNotContain(r => r.GetProperty("id").GetInt64() == id);
        (await (await admin.GetAsync("boot-resources/", ("type", "bogus"))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldContain("bogus");
    }

    [Fact]
    public async Task Bad_fields_are_field_errors()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.PostAsync(
            "boot-resources/", ("name", "a/b/c"), ("architecture", "amd64"), ("sha256", "xyz"), ("size", "-1"), ("filetype", "zip"), ("base_image", "ubuntu/noble")))
            .ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["architecture", "filetype", "name", "sha256", "size"]);
        (await (await admin.PostAsync(
            "boot-resources/", ("name", "debian/trixie"), ("architecture", "amd64/generic"), ("sha256", new string('a', 64)), ("size", "1"), ("base_image", "ubuntu/noble")))
            .ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["base_image"]);
    }

    [Fact]
    public async Task Uploading_to_a_synced_resource_is_forbidden()
    {
        var http = await host.CreateAdminHttpAsync();
        var (resourceId, fileId) = await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var resource = await BootResourceStore.UpsertAsync(
                    c, tx, new BootResourceRecord { Rtype = 0, Name = $"ubuntu/s{Guid.NewGuid():N}"[..16], Architecture = "amd64/generic" }, CancellationToken.None);
                var set = await BootResourceStore.EnsureSetAsync(c, tx, resource.Id, "20240101", "stable", CancellationToken.None);
                var file = await BootResourceStore.UpsertFileAsync(c, tx, set.Id, "squashfs", "squashfs", new string('b', 64), 10, 0, "{}", CancellationToken.None);
                return (resource.Id, file.Id);
            },
            CancellationToken.None);

        await (await PutChunkAsync(http, $"/MAAS/api/2.0/boot-resources/{resourceId}/upload/{fileId}/", new byte[10])).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Deleting_a_resource_removes_its_content_from_the_store_unless_another_resource_shares_it()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var http = await host.CreateAdminHttpAsync();
        var content = Content(500, 8);
        var (first, uploadUri) = await DeclareAsync(admin, $"custom/del1-{Guid.NewGuid():N}"[..20], content);
        await (await PutChunkAsync(http, uploadUri, content)).ShouldBeStatusAsync(HttpStatusCode.OK);
        var (second, secondUpload) = await DeclareAsync(admin, $"custom/del2-{Guid.NewGuid():N}"[..20], content);
        secondUpload.ShouldBeEmpty(); // The store already has the content, so the file is complete at once.

        await (await admin.DeleteAsync($"boot-resources/{first.GetProperty("id").GetInt64()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        host.Store.Has(Sha(content)).ShouldBeTrue();
        await (await admin.DeleteAsync($"boot-resources/{second.GetProperty("id").GetInt64()}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        host.Store.Has(Sha(content)).ShouldBeFalse();
        await (await admin.GetAsync($"boot-resources/{second.GetProperty("id").GetInt64()}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_store_serves_content_by_sha256_with_byte_ranges()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var http = await host.CreateAdminHttpAsync();
        var content = Content(1000, 9);
        var (_, uploadUri) = await DeclareAsync(admin, $"custom/serve-{Guid.NewGuid():N}"[..20], content);
        await (await PutChunkAsync(http, uploadUri, content)).ShouldBeStatusAsync(HttpStatusCode.OK);
        var raw = host.RawClient();

        (await raw.GetByteArrayAsync($"/MAAS/images-store/{Sha(content)}")).ShouldBe(content);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/MAAS/images-store/{Sha(content)}");
        request.Headers.Range = new RangeHeaderValue(600, null);
        using var partial = await raw.SendAsync(request);
        partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).ShouldBe(content[600..]);
        (await raw.GetAsync($"/MAAS/images-store/{new string('c', 64)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await raw.GetAsync("/MAAS/images-store/..%2F..%2Fetc%2Fpasswd")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Is_importing_is_false_when_no_import_runs()
    {
        var user = await host.CreateUserAsync(admin: false);

        (await (await user.GetOpAsync("boot-resources/", "is_importing")).ShouldBeJsonAsync()).GetBoolean().ShouldBeFalse();
        await (await user.PostOpAsync("boot-resources/", "import")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }
}
