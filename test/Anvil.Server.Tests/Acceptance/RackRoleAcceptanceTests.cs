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
    public async Task Describe_power_types_lists_every_driver_with_its_parameters()
    {
        var drivers = (await Admin.Client(fixture.Anvild).GetAsync("rackcontrollers/", "describe_power_types")).ParseJson().RootElement;

        drivers.EnumerateArray().Select(d => d.GetProperty("name").GetString()).ShouldBe(["ipmi", "manual", "qemu", "redfish", "webhook"]);
        var ipmi = drivers.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "ipmi");
        var fields = ipmi.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        fields["power_address"].GetProperty("required").GetBoolean().ShouldBeTrue();
        fields["power_pass"].GetProperty("field_type").GetString().ShouldBe("password");
        fields["power_pass"].GetProperty("secret").GetBoolean().ShouldBeTrue();
        fields["cipher_suite_id"].GetProperty("default").GetString().ShouldBe("3");
        fields["mac_address"].GetProperty("scope").GetString().ShouldBe("node");
        ipmi.GetProperty("queryable").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_rack_proxies_the_api_to_its_region()
    {
        using var response = await Http.GetAsync($"{Rack}/MAAS/api/2.0/version/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"capabilities\"");
    }

    [Fact]
    public async Task Tftp_serves_bootloaders_and_the_generated_pxelinux_config_and_refuses_traversal()
    {
        await fixture.Anvild.WaitForRackAsync();
        var resources = Path.Combine(fixture.Anvild.DataDir, "boot-resources");
        await File.WriteAllTextAsync(Path.Combine(resources, "lpxelinux.0"), "not really a bootloader");
        var target = Path.Combine(Path.GetTempPath(), $"anvil-tftp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(target);
        try
        {
            await TftpGetAsync("lpxelinux.0", Path.Combine(target, "loader"));
            (await File.ReadAllTextAsync(Path.Combine(target, "loader"))).ShouldBe("not really a bootloader");

            await TftpGetAsync("pxelinux.cfg/01-52-54-00-aa-bb-cd", Path.Combine(target, "config"));
            (await File.ReadAllTextAsync(Path.Combine(target, "config"))).ShouldContain("enlist");

            var refused = await TftpGetAsync("../../etc/passwd", Path.Combine(target, "passwd"), expectFailure: true);
            refused.ShouldContain("Error code 2");
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    private async Task<string> TftpGetAsync(string name, string destination, bool expectFailure = false)
    {
        var info = new System.Diagnostics.ProcessStartInfo("tftp") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "127.0.0.1", fixture.Anvild.TftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "binary", "-c", "get", name, destination })
            info.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (!expectFailure)
            text.ShouldNotContain("Error", customMessage: text + fixture.Anvild.Output);
        return text;
    }
}
