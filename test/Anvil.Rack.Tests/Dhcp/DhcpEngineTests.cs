using System.Text.Json.Nodes;
using Anvil.Domain.Dhcp;
using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Dhcp.Engine;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class DhcpEngineTests
{
    private const ulong MacA = 0x525400000001;
    private const ulong MacB = 0x525400000002;

    [Fact]
    public void Discover_gets_an_offer_from_the_dynamic_range_with_the_subnet_options()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA))!;

        offer.Type.ShouldBe(DhcpMessageType.Offer);
        ReplyView.Address(offer.YourAddress).ShouldBeInRange(ReplyView.Address("10.0.0.100"), ReplyView.Address("10.0.0.199"));
        offer.Address(DhcpOptionCode.ServerIdentifier).ShouldBe("10.0.0.1");
        offer.Address(DhcpOptionCode.SubnetMask).ShouldBe("255.255.255.0");
        offer.Address(DhcpOptionCode.Router).ShouldBe("10.0.0.1");
        offer.Address(DhcpOptionCode.BroadcastAddress).ShouldBe("10.0.0.255");
        offer.String(DhcpOptionCode.DomainName).ShouldBe("maas");
        offer.UInt32(DhcpOptionCode.LeaseTime).ShouldBe(600u);
        offer.UInt32(DhcpOptionCode.RenewalTime).ShouldBe(300u);
        offer.UInt32(DhcpOptionCode.RebindingTime).ShouldBe(525u);
        offer.NextServer.ShouldBe("10.0.0.1");
        offer.Order[..2].ShouldBe([DhcpOptionCode.MessageType, DhcpOptionCode.ServerIdentifier]);
        harness.Leases.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Request_after_an_offer_is_acked_and_committed_with_hostname_and_lease_time()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var ack = harness.Lease(MacA, extra: p => p.WithText(DhcpOptionCode.HostName, "node-1"));

        ack.Type.ShouldBe(DhcpMessageType.Ack);
        var commit = harness.Leases.Events.ShouldHaveSingleItem();
        commit.ShouldBe(new LeaseEvent(LeaseAction.Commit, IpFamily.V4, "52:54:00:00:00:01", ack.YourAddress, "node-1", harness.Time.GetUtcNow(), 600));
        harness.Metrics.Value(DhcpMetrics.RepliesName, ("type", "ack")).ShouldBe(1);
        harness.Metrics.Value(DhcpMetrics.ReceivedName, ("type", "discover")).ShouldBe(1);
    }

    [Fact]
    public void Two_clients_discovering_at_once_are_never_offered_the_same_address()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var first = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA))!;
        var second = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB))!;
        var again = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA))!;

        second.YourAddress.ShouldNotBe(first.YourAddress);
        again.YourAddress.ShouldBe(first.YourAddress);
    }

    [Fact]
    public void An_offer_not_taken_up_is_freed_after_the_hold_time()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(first: "10.0.0.100", last: "10.0.0.100")));
        harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA)).ShouldNotBeNull();

        harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB)).ShouldBeNull();
        harness.Time.Advance(harness.Engine.OfferHold + TimeSpan.FromSeconds(1));
        var later = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB));

        later!.YourAddress.ShouldBe("10.0.0.100");
        harness.Dropped("pool_exhausted").ShouldBe(1);
    }

    [Fact]
    public void A_client_gets_its_previous_address_back_after_releasing_it()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var ack = harness.Lease(MacA);
        harness.Send(new ClientPacket(DhcpMessageType.Release, MacA) { ClientAddress = ReplyView.Address(ack.YourAddress) }
            .WithAddress(DhcpOptionCode.ServerIdentifier, ReplyView.Address("10.0.0.1"))).ShouldBeNull();
        harness.Lease(MacB);

        var again = harness.Lease(MacA);

        again.YourAddress.ShouldBe(ack.YourAddress);
        harness.Leases.Events.Select(e => e.Action).ShouldBe([LeaseAction.Commit, LeaseAction.Release, LeaseAction.Commit, LeaseAction.Commit]);
    }

    [Fact]
    public void Renewing_client_unicasting_with_ciaddr_is_acked_to_its_address_and_recommitted()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var ack = harness.Lease(MacA);
        harness.Time.Advance(TimeSpan.FromSeconds(300));

        var renewal = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA) { ClientAddress = ReplyView.Address(ack.YourAddress) }.ToBytes(), EngineHarness.Interface, out var destination)!;

        renewal.Type.ShouldBe(DhcpMessageType.Ack);
        renewal.ClientAddress.ShouldBe(ack.YourAddress);
        renewal.YourAddress.ShouldBe(ack.YourAddress);
        destination.ShouldBe(new ReplyDestination(ReplyView.Address(ack.YourAddress), 68));
        harness.Leases.Events.Count(e => e.Action == LeaseAction.Commit).ShouldBe(2);
        harness.Engine.ActiveLease(MacA)!.ExpiresTicks.ShouldBe((harness.Time.GetUtcNow() + TimeSpan.FromSeconds(600)).UtcTicks);
    }

    [Fact]
    public void Rebinding_client_arriving_on_another_interface_is_served_by_its_own_address()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var ack = harness.Lease(MacA);

        var rebind = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA) { ClientAddress = ReplyView.Address(ack.YourAddress) }, "other0");

        rebind!.Type.ShouldBe(DhcpMessageType.Ack);
    }

    [Fact]
    public void Init_reboot_for_an_address_on_another_network_is_naked_by_broadcast()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address("192.168.1.50")).ToBytes(), EngineHarness.Interface, out var destination)!;

        reply.Type.ShouldBe(DhcpMessageType.Nak);
        reply.YourAddress.ShouldBe("0.0.0.0");
        reply.Order.ShouldBe([DhcpOptionCode.MessageType, DhcpOptionCode.ServerIdentifier]);
        destination.ShouldBe(new ReplyDestination(ReplyDestination.Broadcast, 68));
        harness.Metrics.Value(DhcpMetrics.RepliesName, ("type", "nak")).ShouldBe(1);
    }

    [Fact]
    public void Init_reboot_for_an_address_leased_to_another_client_is_naked()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var theirs = harness.Lease(MacA);

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Request, MacB).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address(theirs.YourAddress)));

        reply!.Type.ShouldBe(DhcpMessageType.Nak);
    }

    [Fact]
    public void Init_reboot_for_its_own_lease_is_acked()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var ack = harness.Lease(MacA);

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address(ack.YourAddress)));

        reply!.Type.ShouldBe(DhcpMessageType.Ack);
        reply.YourAddress.ShouldBe(ack.YourAddress);
    }

    [Fact]
    public void Request_for_an_address_outside_the_dynamic_range_is_naked()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address("10.0.0.20")));

        reply!.Type.ShouldBe(DhcpMessageType.Nak);
    }

    [Fact]
    public void Request_selecting_another_server_frees_our_offer_and_gets_no_answer()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(first: "10.0.0.100", last: "10.0.0.100")));
        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA))!;

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Request, MacA)
            .WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address("10.0.0.77"))
            .WithAddress(DhcpOptionCode.ServerIdentifier, ReplyView.Address("10.0.0.2")));

        reply.ShouldBeNull();
        harness.Dropped("not_for_us").ShouldBe(1);
        harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB))!.YourAddress.ShouldBe(offer.YourAddress);
    }

    [Fact]
    public void Decline_quarantines_the_address_and_the_client_gets_another()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(first: "10.0.0.100", last: "10.0.0.101")) with { DefaultLeaseSeconds = 3600 });
        var ack = harness.Lease(MacA);

        harness.Send(new ClientPacket(DhcpMessageType.Decline, MacA)
            .WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address(ack.YourAddress))
            .WithAddress(DhcpOptionCode.ServerIdentifier, ReplyView.Address("10.0.0.1"))).ShouldBeNull();
        var next = harness.Lease(MacA);
        var other = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB));
        harness.Time.Advance(harness.Engine.DeclineHold + TimeSpan.FromSeconds(1));
        var afterQuarantine = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB));

        next.YourAddress.ShouldNotBe(ack.YourAddress);
        other.ShouldBeNull();
        afterQuarantine!.YourAddress.ShouldBe(ack.YourAddress);
        harness.Leases.Events.Select(e => e.Action).ShouldBe([LeaseAction.Commit, LeaseAction.Release, LeaseAction.Commit]);
    }

    [Fact]
    public void Release_for_an_address_the_client_does_not_hold_is_ignored()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));
        var ack = harness.Lease(MacA);

        harness.Send(new ClientPacket(DhcpMessageType.Release, MacB) { ClientAddress = ReplyView.Address(ack.YourAddress) }).ShouldBeNull();

        harness.Engine.ActiveLease(MacA).ShouldNotBeNull();
        harness.Dropped("unmatched").ShouldBe(1);
    }

    [Fact]
    public void Inform_is_acked_with_options_but_no_address_or_lease_time()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        var reply = harness.Send(new ClientPacket(DhcpMessageType.Inform, MacA) { ClientAddress = ReplyView.Address("10.0.0.20") }.ToBytes(), EngineHarness.Interface, out var destination)!;

        reply.Type.ShouldBe(DhcpMessageType.Ack);
        reply.YourAddress.ShouldBe("0.0.0.0");
        reply.ClientAddress.ShouldBe("10.0.0.20");
        reply.Options.ShouldNotContainKey(DhcpOptionCode.LeaseTime);
        reply.Address(DhcpOptionCode.Router).ShouldBe("10.0.0.1");
        destination.ShouldBe(new ReplyDestination(ReplyView.Address("10.0.0.20"), 68));
        harness.Leases.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_reserved_host_gets_its_fixed_address_even_outside_the_ranges_and_others_never_do()
    {
        var config = new DhcpServerConfig(
            [EngineHarness.Subnet(first: "10.0.0.100", last: "10.0.0.101")],
            [new DhcpHostReservation("52:54:00:00:00:01", IpAddress.Parse("10.0.0.10"), "node1"), new DhcpHostReservation("52:54:00:00:00:09", IpAddress.Parse("10.0.0.100"), "node9")]);
        var harness = new EngineHarness(config);

        var reserved = harness.Lease(MacA);
        var other = harness.Lease(MacB);
        var third = harness.Send(new ClientPacket(DhcpMessageType.Discover, 0x525400000003));

        reserved.YourAddress.ShouldBe("10.0.0.10");
        other.YourAddress.ShouldBe("10.0.0.101");
        third.ShouldBeNull();
        harness.Send(new ClientPacket(DhcpMessageType.Request, MacA).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address("10.0.0.101")))!.Type.ShouldBe(DhcpMessageType.Nak);
    }

    [Fact]
    public void Relayed_requests_are_served_from_the_subnet_holding_giaddr_and_answered_to_the_relay()
    {
        var local = EngineHarness.Subnet();
        var relayed = EngineHarness.Subnet("10.5.0.0/24", null, "10.0.0.1", "10.5.0.50", "10.5.0.60") with { SubnetId = 2, Gateway = IpAddress.Parse("10.5.0.1") };
        var harness = new EngineHarness(EngineHarness.Config(local, relayed));
        var discover = new ClientPacket(DhcpMessageType.Discover, MacA) { RelayAddress = ReplyView.Address("10.5.0.1") }
            .With(DhcpOptionCode.RelayAgentInformation, 1, 3, (byte)'p', (byte)'1', (byte)'0');

        var offer = harness.Send(discover.ToBytes(), EngineHarness.Interface, out var destination)!;

        offer.YourAddress.ShouldStartWith("10.5.0.");
        offer.Address(DhcpOptionCode.Router).ShouldBe("10.5.0.1");
        offer.RelayAddress.ShouldBe("10.5.0.1");
        offer.Options[DhcpOptionCode.RelayAgentInformation].ShouldBe(new byte[] { 1, 3, (byte)'p', (byte)'1', (byte)'0' });
        offer.Order[^1].ShouldBe(DhcpOptionCode.RelayAgentInformation);
        destination.ShouldBe(new ReplyDestination(ReplyView.Address("10.5.0.1"), 67));
    }

    [Fact]
    public void Requests_on_an_interface_without_a_subnet_are_dropped_and_counted()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()));

        harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA), "unserved0").ShouldBeNull();

        harness.Dropped("no_subnet").ShouldBe(1);
    }

    [Fact]
    public void A_lease_runs_out_into_an_expiry_event_and_its_address_is_free_again()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(first: "10.0.0.100", last: "10.0.0.100")));
        var ack = harness.Lease(MacA);

        harness.Time.Advance(TimeSpan.FromSeconds(599));
        harness.Engine.Sweep();
        var before = harness.Leases.Events.Count;
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        harness.Engine.Sweep();

        before.ShouldBe(1);
        var expiry = harness.Leases.Events[^1];
        expiry.Action.ShouldBe(LeaseAction.Expiry);
        expiry.Ip.ShouldBe(ack.YourAddress);
        harness.Engine.ActiveLease(MacA).ShouldBeNull();
        harness.Send(new ClientPacket(DhcpMessageType.Discover, MacB))!.YourAddress.ShouldBe(ack.YourAddress);
    }

    [Fact]
    public void Pxe_clients_get_the_short_lease_from_the_config()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet()) with { PxeLeaseSeconds = 30 });

        var ack = harness.Lease(MacA, extra: p => p.WithText(DhcpOptionCode.VendorClass, "PXEClient:Arch:00000:UNDI:002001"));

        ack.UInt32(DhcpOptionCode.LeaseTime).ShouldBe(30u);
        harness.Leases.Events.ShouldHaveSingleItem().LeaseTime.ShouldBe(30);
    }

    [Fact]
    public void Snippet_options_override_generated_ones_host_over_subnet_over_global()
    {
        var subnet = EngineHarness.Subnet() with
        {
            Options = [Option(6, "domain-name-servers", DhcpOptionType.IpAddresses, new JsonArray("10.9.9.9"))],
            Mtu = 9000,
            NtpServers = [IpAddress.Parse("10.0.0.5")],
        };
        var config = new DhcpServerConfig([subnet], [new DhcpHostReservation("52:54:00:00:00:01", IpAddress.Parse("10.0.0.10"), "n1")
        {
            Options = [Option(15, "domain-name", DhcpOptionType.Text, JsonValue.Create("host.example")!)],
        }])
        {
            GlobalOptions = [Option(15, "domain-name", DhcpOptionType.Text, JsonValue.Create("global.example")!), Option(6, "domain-name-servers", DhcpOptionType.IpAddresses, new JsonArray("10.8.8.8")), Option(252, "wpad-url", DhcpOptionType.Text, JsonValue.Create("http://wpad/")!)],
        };
        var harness = new EngineHarness(config);

        var host = harness.Lease(MacA);
        var other = harness.Lease(MacB);

        host.String(DhcpOptionCode.DomainName).ShouldBe("host.example");
        other.String(DhcpOptionCode.DomainName).ShouldBe("global.example");
        other.Address(DhcpOptionCode.DomainNameServer).ShouldBe("10.9.9.9");
        other.Options[DhcpOptionCode.InterfaceMtu].ShouldBe(new byte[] { 0x23, 0x28 });
        other.Address(DhcpOptionCode.NtpServers).ShouldBe("10.0.0.5");
        other.String(252).ShouldBe("http://wpad/");
    }

    [Fact]
    public void A_client_with_a_request_list_gets_those_options_in_its_order_then_the_essential_ones()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet() with { NtpServers = [IpAddress.Parse("10.0.0.5")], DomainSearch = ["maas", "example.com"] }));

        var offer = harness.Send(new ClientPacket(DhcpMessageType.Discover, MacA).With(DhcpOptionCode.ParameterRequestList, 42, 119, 3))!;

        offer.Order.ShouldBe([53, 54, 51, 58, 59, 42, 119, 3, 1, 6, 15, 210]);
        offer.Options[DhcpOptionCode.DomainSearch].ShouldBe([4, .. "maas"u8.ToArray(), 0, 7, .. "example"u8.ToArray(), 3, .. "com"u8.ToArray(), 0]);
        offer.Options.ShouldNotContainKey(DhcpOptionCode.BroadcastAddress);
    }

    [Fact]
    public void A_new_config_keeps_leases_still_served_and_detaches_the_rest()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet(), EngineHarness.Subnet("10.1.0.0/24", "eth-other", "10.1.0.1", "10.1.0.100", "10.1.0.199") with { SubnetId = 2 }));
        var kept = harness.Lease(MacA);
        var dropped = harness.Lease(MacB, "eth-other");

        harness.Engine.Apply(EngineHarness.Config(EngineHarness.Subnet()));

        harness.Engine.ActiveLease(MacA)!.Address.ShouldBe(ReplyView.Address(kept.YourAddress));
        harness.Engine.ActiveLease(MacB).ShouldBeNull();
        harness.Send(new ClientPacket(DhcpMessageType.Discover, 0x525400000003))!.YourAddress.ShouldNotBe(kept.YourAddress);
        dropped.YourAddress.ShouldStartWith("10.1.0.");
    }

    [Fact]
    public void Pools_of_a_slash_16_hand_out_every_address_once()
    {
        var harness = new EngineHarness(EngineHarness.Config(EngineHarness.Subnet("10.20.0.0/16", EngineHarness.Interface, "10.20.0.1", "10.20.1.0", "10.20.255.254")));
        var seen = new HashSet<string>();

        for (ulong mac = 1; mac <= 65_279; mac++)
            seen.Add(harness.Send(new ClientPacket(DhcpMessageType.Discover, mac))!.YourAddress).ShouldBeTrue();

        harness.Send(new ClientPacket(DhcpMessageType.Discover, 70_000)).ShouldBeNull();
    }

    private static DhcpOption Option(int code, string name, DhcpOptionType type, JsonNode value) => new(code, name, type, value);
}
