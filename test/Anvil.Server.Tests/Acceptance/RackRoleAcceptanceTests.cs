using System.Net;
using Anvil.Server.Support;
using Xunit;

namespace Anvil.Server.Acceptance;

/// <summary>The rack inside a region+rack anvild: linked to its own region, serving HTTP boot on its port.</summary>
[Collection(AnvildCollection.Name)]
public sealed class RackRoleAcceptanceTests(AnvildFixture fixture)
{
    private static readonly HttpClient Http = new();

    private string Rack => $"http://127.0.0.1:{fixture.Anvild.RackHttpPort}";

    [Fact]
    public async Task An_unknown_mac_gets_the_enlistment_script_that_the_region_decided()
    {
        // The per-MAC script needs the region's boot decision over the link, so retry while the rack registers.
        string body = "";
        for (var attempt = 0; attempt < 100 && !body.StartsWith("#!ipxe", StringComparison.Ordinal); attempt++)
        {
            using var response = await Http.GetAsync($"{Rack}/ipxe.cfg-52:54:00:aa:bb:cc");
            body = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "";
            if (body.Length == 0)
                await Task.Delay(200);
        }

        body.ShouldStartWith("#!ipxe");
        body.ShouldContain("enlist");
        body.ShouldContain("http://127.0.0.1:5248/images/");
    }

    [Fact]
    public async Task The_rack_proxies_the_api_to_its_region()
    {
        using var response = await Http.GetAsync($"{Rack}/MAAS/api/2.0/version/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"capabilities\"");
    }
}
