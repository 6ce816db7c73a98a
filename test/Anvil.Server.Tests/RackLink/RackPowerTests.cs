using Anvil.Client;
using Anvil.Data.Users;
using Anvil.Server.Support;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>Power through the public API: region → rack over the link → the machine's BMC (here a webhook target the test runs).</summary>
public sealed class RackPowerTests
{
    [Fact]
    public async Task Power_on_off_and_query_through_the_api_reach_the_bmc_via_the_rack()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-rackpower-{Guid.NewGuid():N}");
        var options = new AnvildOptions { Role = "rack", DataDir = dataDir, RackInterfaces = "none", RackHttpListen = "http://127.0.0.1:0", TftpListen = "127.0.0.1:0" };
        try
        {
            await using var rack = await RackRole.StartAsync(options, [region.Url], await region.SecretAsync(), NullLoggerFactory.Instance, CancellationToken.None);
            await RackHarness.WaitUntilAsync(() => rack.Agent.IsRegistered, "the rack to register");
            var admin = await AdminAsync(region);
            var created = await admin.PostAsync("machines/", null, [
                new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("deployed", "true"), new("power_type", "webhook"),
                new("power_parameters_power_on_uri", $"{bmc.Url}/on"), new("power_parameters_power_off_uri", $"{bmc.Url}/off"),
                new("power_parameters_power_query_uri", $"{bmc.Url}/status"), new("power_parameters_power_token", "bmc-token")]);
            var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;

            var before = (await admin.GetAsync($"machines/{systemId}/", "query_power_state")).ParseJson().RootElement.GetProperty("state").GetString();
            await admin.PostAsync($"machines/{systemId}/", "power_on");
            var on = (await admin.GetAsync($"machines/{systemId}/", "query_power_state")).ParseJson().RootElement.GetProperty("state").GetString();
            await admin.PostAsync($"machines/{systemId}/", "power_off");
            var off = (await admin.GetAsync($"machines/{systemId}/", "query_power_state")).ParseJson().RootElement.GetProperty("state").GetString();

            before.ShouldBe("off");
            on.ShouldBe("on");
            off.ShouldBe("off");
            bmc.Requests.ShouldContain("POST /on Bearer bmc-token");
            bmc.Requests.ShouldContain("POST /off Bearer bmc-token");
            var machine = (await admin.GetAsync($"machines/{systemId}/")).ParseJson().RootElement;
            machine.GetProperty("power_state").GetString().ShouldBe("off");
        }
        finally
        {
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    internal static async Task<MaasClient> AdminAsync(LinkedRegion region)
    {
        var name = $"admin{Guid.NewGuid():N}"[..12];
        var token = await region.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var user = await UserStore.CreateAsync(c, tx, name, $"{name}@example.com", "secret-password", true, CancellationToken.None);
                return await UserStore.CreateTokenAsync(c, tx, user!.Id, null, CancellationToken.None);
            },
            CancellationToken.None);
        return new MaasClient(new Uri(region.Url), MaasApiKey.Parse(token.ApiKey));
    }
}
