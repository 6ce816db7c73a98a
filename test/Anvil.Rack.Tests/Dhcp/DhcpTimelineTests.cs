using System.Net;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>What the DHCP engine puts on the boot timeline, and the lease lookup TFTP and HTTP use to name the client's MAC.</summary>
public sealed class DhcpTimelineTests
{
    private const ulong Mac = 0x525400000042;

    [Fact]
    public void A_lease_puts_each_request_and_answer_on_the_timeline_with_the_clients_mac()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var ack = harness.Lease(Mac, extra: p => p.WithText(DhcpOptionCode.VendorClass, "PXEClient:Arch:00000:UNDI:002001"));

        harness.Timeline.Select(e => e.Kind).ShouldBe(["DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPACK"]);
        harness.Timeline.ShouldAllBe(e => e.Mac == "52:54:00:00:00:42" && e.Stage == "dhcp" && e.At == harness.Time.GetUtcNow());
        harness.Timeline[0].Detail.ShouldBe($"PXEClient:Arch:00000:UNDI:002001 on {EngineHarness.Interface}");
        harness.Timeline[3].Detail.ShouldBe(ack.YourAddress);
        harness.Engine.MacOf(IPAddress.Parse(ack.YourAddress)).ShouldBe("52:54:00:00:00:42");
        harness.Engine.MacOf(IPAddress.Parse("10.0.0.250")).ShouldBeNull();
    }

    [Fact]
    public void Garbage_leaves_nothing_on_the_timeline()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        harness.Send([1, 2, 3, 4, 5], EngineHarness.Interface, out _).ShouldBeNull();

        harness.Timeline.ShouldBeEmpty();
    }
}
