using Anvil.Client;
using Anvil.Data.Users;
using Anvil.Server.Support;
using Anvil.Testing.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        await using var bmc = await WebhookBmc.StartAsync();
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

    [Fact]
    public async Task The_poller_reads_200_machines_in_one_pass_and_never_asks_one_bmc_twice_at_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await WebhookBmc.StartAsync(answerDelay: TimeSpan.FromMilliseconds(5));
        var dataDir = Path.Combine(Path.GetTempPath(), $"anvil-rackpoll-{Guid.NewGuid():N}");
        var options = new AnvildOptions { Role = "rack", DataDir = dataDir, RackInterfaces = "none", RackHttpListen = "http://127.0.0.1:0", TftpListen = "127.0.0.1:0" };
        try
        {
            await using var rack = await RackRole.StartAsync(options, [region.Url], await region.SecretAsync(), NullLoggerFactory.Instance, CancellationToken.None);
            await RackHarness.WaitUntilAsync(() => rack.Agent.IsRegistered, "the rack to register");
            // 200 machines behind 100 BMCs: two machines share each query URI (one chassis, two nodes).
            await using (var c = await region.Database.DataSource.OpenConnectionAsync())
            {
                await Dapper.SqlMapper.ExecuteAsync(c, """
                    INSERT INTO node (system_id, hostname, domain_id, zone_id, power_type, power_parameters)
                    SELECT 'poll' || i, 'poll-' || i, 0, 1, 'webhook',
                           jsonb_build_object('power_on_uri', @url || '/on', 'power_off_uri', @url || '/off',
                                              'power_query_uri', @url || '/status/' || (i / 2))
                    FROM generate_series(0, 199) AS i
                    """, new { url = bmc.Url });
            }

            var polled = await region.Services.GetRequiredService<Anvil.Region.Power.PowerPoller>().RunOnceAsync(CancellationToken.None);

            polled.ShouldBe(200);
            bmc.MaxInFlightPerPath.ShouldBe(1);
            bmc.MaxInFlight.ShouldBeGreaterThan(1);
            await using var check = await region.Database.DataSource.OpenConnectionAsync();
            (await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM node WHERE system_id LIKE 'poll%' AND power_state = 'off' AND power_state_updated IS NOT NULL")).ShouldBe(200);
        }
        finally
        {
            if (Directory.Exists(dataDir))
                Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<MaasClient> AdminAsync(LinkedRegion region)
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

    /// <summary>A machine's webhook power endpoints (MAAS's webhook driver contract), run by the test on loopback.</summary>
    private sealed class WebhookBmc : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly Dictionary<string, int> inFlight = new(StringComparer.Ordinal);
        private int total;
        private string state = "stopped";

        private WebhookBmc(WebApplication app) => this.app = app;

        public List<string> Requests { get; } = [];

        /// <summary>Most queries one query URI (one BMC) had in flight at once.</summary>
        public int MaxInFlightPerPath { get; private set; }

        /// <summary>Most queries in flight at once over all BMCs.</summary>
        public int MaxInFlight { get; private set; }

        public string Url => app.Urls.First();

        public static async Task<WebhookBmc> StartAsync(TimeSpan answerDelay = default)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var bmc = new WebhookBmc(app);
            app.Run(async http =>
            {
                var path = http.Request.Path.Value ?? "";
                lock (bmc.Requests)
                {
                    bmc.Requests.Add($"{http.Request.Method} {path} {http.Request.Headers.Authorization}");
                    bmc.inFlight[path] = bmc.inFlight.GetValueOrDefault(path) + 1;
                    bmc.total++;
                    bmc.MaxInFlightPerPath = Math.Max(bmc.MaxInFlightPerPath, bmc.inFlight[path]);
                    bmc.MaxInFlight = Math.Max(bmc.MaxInFlight, bmc.total);
                }

                await Task.Delay(answerDelay);
                lock (bmc.Requests)
                {
                    bmc.inFlight[path]--;
                    bmc.total--;
                }

                switch (http.Request.Path.Value)
                {
                    case "/on":
                        bmc.state = "running";
                        break;
                    case "/off":
                        bmc.state = "stopped";
                        break;
                }

                await http.Response.WriteAsync($"{{\"status\": \"{bmc.state}\"}}");
            });
            await app.StartAsync();
            return bmc;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
