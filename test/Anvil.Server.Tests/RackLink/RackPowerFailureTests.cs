using System.Text.Json;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>A power change that fails — refused credentials, a BMC that never changes state — becomes an event on the machine with the reason.</summary>
public sealed class RackPowerFailureTests
{
    [Fact]
    public async Task Power_on_refused_by_the_bmc_is_an_event_naming_the_authentication_failure()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync();
        bmc.RequiredBasicAuth = ("operator", "the-right-one");
        await using var rack = await RackPowerRack.StartAsync(region, NullLoggerFactory.Instance);
        var admin = await RackPowerTests.AdminAsync(region);
        var systemId = await MachineAsync(admin, bmc, ("power_parameters_power_user", "operator"), ("power_parameters_power_pass", "a-wrong-one"));

        var answer = await admin.PostAsync($"machines/{systemId}/", "power_on");

        answer.ParseJson().RootElement.GetProperty("system_id").GetString().ShouldBe(systemId);
        var failure = await EventAsync(admin, systemId, "Failed to power on node");
        failure.GetProperty("description").GetString()!.ShouldStartWith("Failed to power on: BMC authentication failed (");
        failure.GetProperty("level").GetString().ShouldBe("ERROR");
        (await Admin.MachineAsync(admin, systemId)).GetProperty("power_state").GetString().ShouldBe("error");
    }

    [Fact]
    public async Task Release_whose_power_off_never_takes_effect_records_that_the_bmc_never_reached_off()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        await using var bmc = await RackPowerWebhookBmc.StartAsync();
        await using var rack = await RackPowerRack.StartAsync(region, NullLoggerFactory.Instance, [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)]);
        var admin = await RackPowerTests.AdminAsync(region);
        var systemId = await MachineAsync(admin, bmc);
        await admin.PostAsync($"machines/{systemId}/", "power_on");
        bmc.Stuck = true;

        await admin.PostAsync($"machines/{systemId}/", "release");

        var failure = await EventAsync(admin, systemId, "Failed to power off node");
        failure.GetProperty("description").GetString()!.ShouldStartWith("Failed to power off: BMC did not reach the requested state (The BMC never transitioned from on to off");
    }

    private static async Task<string> MachineAsync(MaasClient admin, RackPowerWebhookBmc bmc, params (string Key, string Value)[] extra)
    {
        var created = await admin.PostAsync("machines/", null, [
            new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("deployed", "true"), new("power_type", "webhook"),
            new("power_parameters_power_on_uri", $"{bmc.Url}/on"), new("power_parameters_power_off_uri", $"{bmc.Url}/off"),
            new("power_parameters_power_query_uri", $"{bmc.Url}/status"), .. extra.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))]);
        return created.ParseJson().RootElement.GetProperty("system_id").GetString()!;
    }

    private static async Task<JsonElement> EventAsync(MaasClient admin, string systemId, string type)
    {
        var events = (await admin.GetAsync("events/", "query", [new("id", systemId), new("level", "DEBUG")])).ParseJson().RootElement.GetProperty("events");
        return events.EnumerateArray().FirstOrDefault(e => e.GetProperty("type").GetString() == type) is { ValueKind: JsonValueKind.Object } found
            ? found.Clone()
            : throw new ShouldAssertException($"No '{type}' event; events: {events}");
    }
}
