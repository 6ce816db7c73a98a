using System.Net;
using Anvil.Region.Tests.Images;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Images;

public sealed class BootSourcesApiTests(ImagesTestHost host) : IClassFixture<ImagesTestHost>
{
    private static string Url() => $"http://mirror-{Guid.NewGuid():N}.example.com/ephemeral-v3/stable/";

    [Fact]
    public async Task Boot_sources_are_for_admins_even_to_read()
    {
        var user = await host.CreateUserAsync(admin: false);

        await (await user.GetAsync("boot-sources/")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.PostAsync("boot-sources/", ("url", Url()), ("skip_keyring_verification", "true"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_source_needs_a_keyring_unless_verification_is_skipped_and_its_url_is_unique()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var url = Url();

        (await (await admin.PostAsync("boot-sources/", ("url", url))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["keyring_filename"]);
        var created = await (await admin.PostAsync("boot-sources/", ("url", url), ("keyring_data", Convert.ToBase64String([1, 2, 3])), ("priority", "5")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        created.GetProperty("url").GetString().ShouldBe(url);
        created.GetProperty("keyring_data").GetString().ShouldBe("AQID");
        created.GetProperty("priority").GetInt32().ShouldBe(5);
        created.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        (await (await admin.PostAsync("boot-sources/", ("url", url), ("skip_keyring_verification", "true"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["url"]);

        var id = created.GetProperty("id").GetInt64();
        var updated = await (await admin.PutAsync($"boot-sources/{id}/", ("enabled", "false"))).ShouldBeJsonAsync();
        updated.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        updated.GetProperty("url").GetString().ShouldBe(url);
        await (await admin.DeleteAsync($"boot-sources/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await admin.GetAsync($"boot-sources/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Selections_default_to_any_arch_subarch_and_label_and_one_per_os_and_release()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var source = await (await admin.PostAsync("boot-sources/", ("url", Url()), ("skip_keyring_verification", "true"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var selections = $"boot-sources/{source.GetProperty("id").GetInt64()}/selections/";

        var selection = await (await admin.PostAsync(selections, ("release", "noble"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        selection.GetProperty("os").GetString().ShouldBe("ubuntu");
        selection.GetProperty("arches").EnumerateArray().Select(a => a.GetString()).ShouldBe(["*"]);
        (await (await admin.PostAsync(selections, ("release", "noble"))).ShouldBeFieldErrorsAsync()).Keys.ShouldBe(["__all__"]);

        var id = selection.GetProperty("id").GetInt64();
        var changed = await (await admin.PutAsync($"{selections}{id}/", ("arches", "amd64"), ("arches", "arm64"), ("labels", "candidate"))).ShouldBeJsonAsync();
        changed.GetProperty("arches").EnumerateArray().Select(a => a.GetString()).ShouldBe(["amd64", "arm64"]);
        changed.GetProperty("labels").EnumerateArray().Select(a => a.GetString()).ShouldBe(["candidate"]);
        changed.GetProperty("release").GetString().ShouldBe("noble");
        (await (await admin.GetAsync(selections)).ShouldBeJsonAsync()).GetArrayLength().ShouldBe(1);
        await (await admin.DeleteAsync($"{selections}{id}/")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await admin.GetAsync("boot-sources/999999/selections/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }
}
