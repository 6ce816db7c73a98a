using System.Net;
using System.Text.Json;
using Anvil.Client;
using Anvil.Server.Support;
using Anvil.Testing.Postgres;
using Xunit;

namespace Anvil.Server.RackLink;

/// <summary>Setting power_type and power_parameters_* checks the driver's required fields and choices with MAAS's messages, unless power_parameters_skip_check=true.</summary>
public sealed class RackPowerParametersTests
{
    [Fact]
    public async Task Creating_an_ipmi_machine_without_an_address_or_with_an_unknown_driver_is_a_400_under_power_parameters()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        var admin = await RackPowerTests.AdminAsync(region);

        var errors = await FieldErrorsAsync(admin, HttpMethod.Post, "machines/", NewMachine(("power_type", "ipmi"), ("power_parameters_power_driver", "LAN_3")));

        errors.Keys.ShouldBe(["power_parameters"]);
        errors["power_parameters"].ShouldBe([
            "Power driver: 'LAN_3' is not a valid power_driver.  It should be one of: 'LAN', 'LAN_2_0'.",
            "IP address: This field is required.",
        ]);
    }

    [Fact]
    public async Task Skip_check_stores_the_parameters_as_given()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        var admin = await RackPowerTests.AdminAsync(region);

        var created = await admin.PostAsync("machines/", null, NewMachine(
            ("power_type", "redfish"), ("power_parameters_power_address", "10.0.0.5"), ("power_parameters_skip_check", "true")));
        var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;

        var stored = (await admin.GetAsync($"machines/{systemId}/", "power_parameters")).ParseJson().RootElement;
        stored.GetProperty("power_address").GetString().ShouldBe("10.0.0.5");
        stored.TryGetProperty("power_user", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Updating_checks_the_new_parameters_merged_over_the_stored_ones()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        var admin = await RackPowerTests.AdminAsync(region);
        var created = await admin.PostAsync("machines/", null, NewMachine(("power_type", "ipmi"), ("power_parameters_power_address", "10.0.0.7")));
        var systemId = created.ParseJson().RootElement.GetProperty("system_id").GetString()!;

        await admin.PutAsync($"machines/{systemId}/", null, [new("power_parameters_power_user", "maas")]);
        var toRedfish = await FieldErrorsAsync(admin, HttpMethod.Put, $"machines/{systemId}/", [new("power_type", "redfish")]);

        var stored = (await admin.GetAsync($"machines/{systemId}/", "power_parameters")).ParseJson().RootElement;
        stored.GetProperty("power_address").GetString().ShouldBe("10.0.0.7");
        stored.GetProperty("power_user").GetString().ShouldBe("maas");
        toRedfish["power_parameters"].ShouldBe(["Redfish password: This field is required."]);
    }

    [Fact]
    public async Task Updating_a_rack_controller_checks_its_power_parameters_too()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var region = await LinkedRegion.StartAsync(database);
        var admin = await RackPowerTests.AdminAsync(region);
        var systemId = $"rk{Guid.NewGuid():N}"[..8];
        await using (var c = await region.Database.DataSource.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO node (system_id, hostname, domain_id, zone_id, node_type) VALUES (@systemId, @systemId, 0, 1, 2)", new { systemId });
        }

        var errors = await FieldErrorsAsync(admin, HttpMethod.Put, $"rackcontrollers/{systemId}/", [new("power_type", "webhook"), new("power_parameters_power_on_uri", "http://bmc/on")]);
        var skipped = await admin.PutAsync($"rackcontrollers/{systemId}/", null, [new("power_type", "webhook"), new("power_parameters_skip_check", "true")]);

        errors["power_parameters"].ShouldBe(["URI to power off the node: This field is required.", "URI to query the nodes power status: This field is required."]);
        skipped.ParseJson().RootElement.GetProperty("power_type").GetString().ShouldBe("webhook");
    }

    private static KeyValuePair<string, string>[] NewMachine(params (string Key, string Value)[] power) =>
        [new("architecture", "amd64/generic"), new("mac_addresses", Admin.RandomMac()), new("commission", "false"), .. power.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))];

    private static async Task<Dictionary<string, string[]>> FieldErrorsAsync(MaasClient client, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var request = new MaasRequest(method, path);
        foreach (var parameter in parameters)
            request.Parameters.Add(parameter);
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, response.BodyText);
        return JsonSerializer.Deserialize<Dictionary<string, string[]>>(response.BodyText)!;
    }
}
