using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class SshKeysApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_stores_a_valid_key_and_lists_it_for_its_owner_only()
    {
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var key = Ed25519Key("alice@laptop");

        var created = await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", key + "\n"))).ShouldBeJsonAsync(HttpStatusCode.Created);

        var id = created.GetProperty("id").GetInt64();
        created.GetProperty("key").GetString().ShouldBe(key);
        created.GetProperty("keysource").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        created.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/account/prefs/sshkeys/{id}/");
        var mine = await (await user.Client.GetAsync("account/prefs/sshkeys/")).ShouldBeJsonAsync();
        mine.EnumerateArray().Select(k => k.GetProperty("id").GetInt64()).ShouldBe([id]);
        var theirs = await (await other.Client.GetAsync("account/prefs/sshkeys/")).ShouldBeJsonAsync();
        theirs.GetArrayLength().ShouldBe(0);
        (await host.AuditEventsByAsync(user.Username)).ShouldContain(("AUTHORISATION", $"Created SSH key {id}."));
    }

    [Theory]
    [InlineData("ssh-rsa")]
    [InlineData("ecdsa-sha2-nistp256")]
    [InlineData("sk-ssh-ed25519@openssh.com")]
    public async Task Create_accepts_each_supported_key_type(string type)
    {
        var user = await host.CreateUserAsync();
        var key = type switch
        {
            "ssh-rsa" => KeyLine(type, [Encoding.ASCII.GetBytes(type), [1, 0, 1], RandomNumberGenerator.GetBytes(257)]),
            "ecdsa-sha2-nistp256" => KeyLine(type, [Encoding.ASCII.GetBytes(type), "nistp256"u8.ToArray(), RandomNumberGenerator.GetBytes(65)]),
            _ => KeyLine(type, [Encoding.ASCII.GetBytes(type), RandomNumberGenerator.GetBytes(32), "ssh:"u8.ToArray()]),
        };

        await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", key))).ShouldBeJsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ed25519 !!!notbase64!!!")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP")]
    public async Task Create_with_a_malformed_key_is_a_field_error(string key)
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", key))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["key"]);
    }

    [Fact]
    public async Task Create_with_a_blob_of_another_type_is_a_field_error()
    {
        var user = await host.CreateUserAsync();
        var rsaBlobLabelledEd25519 = KeyLine("ssh-ed25519", ["ssh-rsa"u8.ToArray(), [1, 0, 1], RandomNumberGenerator.GetBytes(257)]);

        var errors = await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", rsaBlobLabelledEd25519))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["key"]);
    }

    [Fact]
    public async Task Create_of_a_key_the_user_already_has_is_a_field_error()
    {
        var user = await host.CreateUserAsync();
        var key = Ed25519Key("dup");
        await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", key))).ShouldBeJsonAsync(HttpStatusCode.Created);

        var errors = await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", key))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["key"]);
    }

    [Fact]
    public async Task Import_is_refused_with_an_explanation_because_the_region_cannot_fetch_keys()
    {
        var user = await host.CreateUserAsync();

        var message = await (await user.Client.PostOpAsync("account/prefs/sshkeys/", "import", ("keysource", "gh:octocat"))).ShouldBeTextAsync(HttpStatusCode.BadRequest);

        message.ShouldContain("gh:octocat");
        (await (await user.Client.GetAsync("account/prefs/sshkeys/")).ShouldBeJsonAsync()).GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("octocat")]
    [InlineData("xx:octocat")]
    [InlineData("lp:")]
    public async Task Import_with_a_malformed_keysource_is_a_field_error(string keysource)
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.PostOpAsync("account/prefs/sshkeys/", "import", ("keysource", keysource))).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe(["keysource"]);
    }

    [Fact]
    public async Task Read_returns_the_owners_key_and_hides_it_from_other_users()
    {
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var id = await CreateKeyAsync(user);

        (await (await user.Client.GetAsync($"account/prefs/sshkeys/{id}/")).ShouldBeJsonAsync()).GetProperty("id").GetInt64().ShouldBe(id);
        await (await other.Client.GetAsync($"account/prefs/sshkeys/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("abc")]
    public async Task Read_of_an_unknown_key_is_not_found(string id)
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync($"account/prefs/sshkeys/{id}/")).ShouldBeTextAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_of_another_users_key_is_forbidden()
    {
        var user = await host.CreateUserAsync();
        var admin = await host.CreateUserAsync(admin: true);
        var id = await CreateKeyAsync(user);

        await (await admin.Client.DeleteAsync($"account/prefs/sshkeys/{id}/")).ShouldBeTextAsync(HttpStatusCode.Forbidden);

        await (await user.Client.GetAsync($"account/prefs/sshkeys/{id}/")).ShouldBeJsonAsync();
    }

    [Fact]
    public async Task Delete_of_an_own_key_removes_it()
    {
        var user = await host.CreateUserAsync();
        var id = await CreateKeyAsync(user);

        (await user.Client.DeleteAsync($"account/prefs/sshkeys/{id}/")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await user.Client.GetAsync($"account/prefs/sshkeys/{id}/")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await host.AuditEventsByAsync(user.Username)).ShouldContain(("AUTHORISATION", $"Deleted SSH key {id}."));
    }

    private static async Task<long> CreateKeyAsync(TestUser user) =>
        (await (await user.Client.PostAsync("account/prefs/sshkeys/", ("key", Ed25519Key("k")))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private static string Ed25519Key(string comment) => KeyLine("ssh-ed25519", ["ssh-ed25519"u8.ToArray(), RandomNumberGenerator.GetBytes(32)]) + " " + comment;

    /// <summary>An OpenSSH key line whose blob is the given fields, each uint32-length-prefixed.</summary>
    private static string KeyLine(string type, byte[][] fields)
    {
        var blob = new List<byte>();
        foreach (var field in fields)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)field.Length);
            blob.AddRange(length);
            blob.AddRange(field);
        }

        return $"{type} {Convert.ToBase64String([.. blob])}";
    }
}
