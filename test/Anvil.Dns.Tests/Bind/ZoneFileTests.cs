using System.Net;
using Anvil.Dns.Bind;
using Anvil.Testing.Network;
using Shouldly;
using Xunit;

namespace Anvil.Dns.Tests.Bind;

public sealed class ZoneFileTests
{
    [Fact]
    public void The_soa_carries_the_serial_and_maas_timers_with_the_zone_ttl_as_minimum()
    {
        var text = ZoneFile.Render(new NamedZone("Maas.", "anvil.maas.", [], 45), 2024010203);

        text.ShouldContain("$TTL 45\n");
        text.ShouldContain("@ IN SOA maas. nobody.example.com. (2024010203 600 1800 604800 45)\n");
        text.ShouldContain("@ IN NS anvil.maas.\n");
    }

    [Fact]
    public void Glue_is_written_only_when_the_name_server_lies_inside_the_zone()
    {
        var addresses = new[] { IPAddress.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::2") };

        var inside = ZoneFile.Render(new NamedZone("maas", "anvil.maas", addresses, 30), 1);
        var outside = ZoneFile.Render(new NamedZone("0.168.192.in-addr.arpa", "anvil.maas", addresses, 30), 1);

        inside.ShouldContain("anvil.maas. IN A 10.0.0.2\n");
        inside.ShouldContain("anvil.maas. IN AAAA 2001:db8::2\n");
        outside.ShouldNotContain(" IN A ");
        outside.ShouldNotContain("AAAA");
    }

    [Theory]
    [InlineData("maas", "anvil.maas")]
    [InlineData("0.168.192.in-addr.arpa", "anvil.maas")]
    [InlineData("64-26.0.0.10.in-addr.arpa", "anvil.maas")]
    [InlineData("8.b.d.0.1.0.0.2.ip6.arpa", "anvil.maas")]
    [InlineData("example.test", "example.test")]
    public async Task Named_checkzone_accepts_the_rendered_zone(string zone, string nameServer)
    {
        var path = Path.Combine(Path.GetTempPath(), "anvil-bindtest-zone-" + TestNames.Suffix());
        try
        {
            await File.WriteAllTextAsync(path, ZoneFile.Render(new NamedZone(zone, nameServer, [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2")], 30), 7));

            var check = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(30), "named-checkzone", zone, path);

            check.ExitCode.ShouldBe(0, check.Output + check.Error);
            check.Output.ShouldContain("loaded serial 7");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
