using System.Net;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Resources;

public sealed class AccountApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_authorisation_token_returns_a_working_key_once()
    {
        var user = await host.CreateUserAsync();

        var token = await (await user.Client.PostOpAsync("account/", "create_authorisation_token", ("name", "ci"))).ShouldBeJsonAsync();

        token.GetProperty("name").GetString().ShouldBe("ci");
        token.GetProperty("token_secret").GetString()!.Length.ShouldBe(32);
        var client = host.ClientFor(token.GetProperty("consumer_key").GetString()!, token.GetProperty("token_key").GetString()!, token.GetProperty("token_secret").GetString()!);
        (await (await client.GetOpAsync("users/", "whoami")).ShouldBeJsonAsync()).GetProperty("username").GetString().ShouldBe(user.Username);
        (await host.AuditEventsByAsync(user.Username)).ShouldContain(("AUTHORISATION", "Created token 'ci'."));
    }

    [Fact]
    public async Task Create_authorisation_token_without_a_name_uses_maas_default_name()
    {
        var user = await host.CreateUserAsync();

        var token = await (await user.Client.PostOpAsync("account/", "create_authorisation_token")).ShouldBeJsonAsync();

        token.GetProperty("name").GetString().ShouldBe("MAAS consumer");
    }

    [Fact]
    public async Task List_authorisation_tokens_shows_keys_with_an_empty_secret()
    {
        var user = await host.CreateUserAsync();

        var tokens = await (await user.Client.GetOpAsync("account/", "list_authorisation_tokens")).ShouldBeJsonAsync();

        var only = tokens.EnumerateArray().ShouldHaveSingleItem();
        only.GetProperty("name").GetString().ShouldBe("MAAS consumer");
        only.GetProperty("token").GetString().ShouldBe($"{user.Token.ConsumerKey}:{user.Token.TokenKey}:");
    }

    [Fact]
    public async Task Update_token_name_accepts_the_full_api_key()
    {
        var user = await host.CreateUserAsync();

        var response = await user.Client.PostOpAsync("account/", "update_token_name", ("token", user.Token.ApiKey), ("name", "laptop"));

        await response.ShouldBeStatusAsync(HttpStatusCode.Accepted);
        var tokens = await (await user.Client.GetOpAsync("account/", "list_authorisation_tokens")).ShouldBeJsonAsync();
        tokens.EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("laptop");
    }

    [Fact]
    public async Task Update_token_name_of_an_unknown_token_is_not_found()
    {
        var user = await host.CreateUserAsync();

        await (await user.Client.PostOpAsync("account/", "update_token_name", ("token", "nope"), ("name", "x"))).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_token_name_needs_both_fields()
    {
        var user = await host.CreateUserAsync();

        var errors = await (await user.Client.PostOpAsync("account/", "update_token_name")).ShouldBeFieldErrorsAsync();

        errors.Keys.Order().ShouldBe(["name", "token"]);
    }

    [Fact]
    public async Task Delete_authorisation_token_revokes_it()
    {
        var user = await host.CreateUserAsync();
        var spare = await (await user.Client.PostOpAsync("account/", "create_authorisation_token")).ShouldBeJsonAsync();
        var spareClient = host.ClientFor(spare.GetProperty("consumer_key").GetString()!, spare.GetProperty("token_key").GetString()!, spare.GetProperty("token_secret").GetString()!);

        var response = await user.Client.PostOpAsync("account/", "delete_authorisation_token", ("token_key", spare.GetProperty("token_key").GetString()!));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await spareClient.GetOpAsync("users/", "whoami")).ShouldBeStatusAsync(HttpStatusCode.Unauthorized);
        (await host.AuditEventsByAsync(user.Username)).ShouldContain(("AUTHORISATION", "Deleted token."));
    }

    [Fact]
    public async Task Delete_authorisation_token_of_another_user_is_not_found()
    {
        var user = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();

        await (await user.Client.PostOpAsync("account/", "delete_authorisation_token", ("token_key", other.Token.TokenKey))).ShouldBeStatusAsync(HttpStatusCode.NotFound);

        await (await other.Client.GetOpAsync("users/", "whoami")).ShouldBeJsonAsync();
    }
}
