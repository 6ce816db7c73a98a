using System.Net;
using System.Text;
using Anvil.Client;
using Anvil.Data.Users;
using Anvil.Server.Support;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>Power parameters are secrets: only admins read them, and no region or rack log line ever holds a password.</summary>
public sealed class RackPowerSecrecyTests
{
    [Fact]
    public async Task Power_actions_with_a_known_password_never_put_it_in_any_region_or_rack_log_line()
    {
        const string password = "Sesame-7f3a9c-NeverLogged";
        var capture = new RackPowerLogCapture();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database, b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        await using var bmc = await RackPowerWebhookBmc.StartAsync();
        bmc.RequiredBasicAuth = ("operator", password);
        await using var rack = await RackPowerRack.StartAsync(region, loggers, [TimeSpan.FromMilliseconds(10)]);
        var admin = await RackPowerTests.AdminAsync(region);
        var good = await WebhookMachineAsync(admin, bmc, password);
        var wrong = await WebhookMachineAsync(admin, bmc, password + "-but-wrong");

        await admin.PostAsync($"machines/{good}/", "power_on");
        var on = (await admin.GetAsync($"machines/{good}/", "query_power_state")).ParseJson().RootElement.GetProperty("state").GetString();
        await admin.PostAsync($"machines/{good}/", "power_off");
        await admin.PostAsync($"machines/{wrong}/", "power_on");
        var refused = await admin.SendAsync(new MaasRequest(HttpMethod.Get, $"machines/{wrong}/") { Op = "query_power_state" });
        var parameters = (await admin.GetAsync($"machines/{good}/", "power_parameters")).BodyText;

        on.ShouldBe("on");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        parameters.ShouldContain(password, Case.Sensitive, "an admin reads the parameters back");
        bmc.Requests.ShouldContain(r => r.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}")), StringComparison.Ordinal), "the password reached the BMC");
        var lines = capture.Lines;
        lines.ShouldContain(l => l.Contains("Anvil.Region.Power.RackPowerService", StringComparison.Ordinal) && l.Contains("refused the credentials", StringComparison.Ordinal), "the region logged the failure");
        lines.ShouldContain(l => l.Contains("WebhookPowerDriver", StringComparison.Ordinal), "the rack's driver logged its requests");
        lines.ShouldNotContain(l => l.Contains(password, StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}")), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_admins_read_power_parameters_and_machine_json_never_holds_them()
    {
        const string password = "Sesame-only-for-admins";
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        var admin = await RackPowerTests.AdminAsync(region);
        var user = await UserAsync(region);
        var created = await admin.PostAsync("machines/", null, [
            new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("commission", "false"),
            new("power_type", "ipmi"), new("power_parameters_power_address", "10.0.0.9"), new("power_parameters_power_pass", password)]);
        var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;

        var one = await user.SendAsync(new MaasRequest(HttpMethod.Get, $"machines/{systemId}/") { Op = "power_parameters" });
        var many = await user.SendAsync(new MaasRequest(HttpMethod.Get, "machines/") { Op = "power_parameters" });
        var userView = (await user.GetAsync($"machines/{systemId}/")).BodyText;
        var userList = (await user.GetAsync("machines/")).BodyText;
        var adminView = (await admin.GetAsync($"machines/{systemId}/")).BodyText;
        var adminRead = (await admin.GetAsync($"machines/{systemId}/", "power_parameters")).BodyText;

        one.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        many.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        userView.ShouldContain(systemId);
        userList.ShouldContain(systemId);
        userView.ShouldNotContain(password);
        userList.ShouldNotContain(password);
        adminView.ShouldNotContain(password);
        adminRead.ShouldContain(password);
    }

    private static async Task<string> WebhookMachineAsync(MaasClient admin, RackPowerWebhookBmc bmc, string password)
    {
        var created = await admin.PostAsync("machines/", null, [
            new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("deployed", "true"), new("power_type", "webhook"),
            new("power_parameters_power_on_uri", $"{bmc.Url}/on"), new("power_parameters_power_off_uri", $"{bmc.Url}/off"),
            new("power_parameters_power_query_uri", $"{bmc.Url}/status"), new("power_parameters_power_user", "operator"),
            new("power_parameters_power_pass", password)]);
        return created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
    }

    private static async Task<MaasClient> UserAsync(LinkedRegion region)
    {
        var name = $"user{Guid.NewGuid():N}"[..12];
        var token = await region.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var created = await UserStore.CreateAsync(c, tx, name, $"{name}@example.com", "secret-password", false, CancellationToken.None);
                return await UserStore.CreateTokenAsync(c, tx, created!.Id, null, CancellationToken.None);
            },
            CancellationToken.None);
        return new MaasClient(new Uri(region.Url), MaasApiKey.Parse(token.ApiKey));
    }
}
