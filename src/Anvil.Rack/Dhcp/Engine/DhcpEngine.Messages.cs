using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>One method per client message type (RFC 2131 §4.3).</summary>
internal sealed partial class DhcpEngine
{
    private DhcpAnswer Discover(DhcpPacket packet, string? interfaceName, long now)
    {
        var candidates = config.CandidatesFor(packet.RelayAddress, interfaceName);
        if (candidates.IsEmpty)
            return DhcpAnswer.Dropped(DhcpDropReason.NoSubnet);
        var mac = packet.Mac;
        var host = ReservationAmong(mac, candidates);
        byMac.TryGetValue(mac, out var known);
        ServedSubnet? subnet;
        uint address;
        if (host is not null)
        {
            (subnet, address) = (host.Subnet!, host.Address);
            if (byAddress.TryGetValue(address, out var holder) && holder.Mac != mac)
                return DhcpAnswer.Dropped(DhcpDropReason.PoolExhausted);
        }
        else if (known is { IsActive: true, Subnet: { } current } && Among(candidates, current) && !config.ReservedAddresses.ContainsKey(known.Address))
        {
            (subnet, address) = (current, known.Address);
        }
        else if (known is not null && TryClaim(candidates, known.Address, out subnet))
        {
            // The client's previous address, free again: same address back to the same MAC.
            address = known.Address;
        }
        else if (TryClaim(candidates, packet.AddressOption(DhcpOptionCode.RequestedAddress), out subnet))
        {
            address = packet.AddressOption(DhcpOptionCode.RequestedAddress);
        }
        else if (!TryTakeAny(candidates, out subnet, out address))
        {
            return DhcpAnswer.Dropped(DhcpDropReason.PoolExhausted);
        }

        var lease = Hold(known, mac, address, subnet, now);
        if (lease.State != LeaseState.Bound)
        {
            lease.State = LeaseState.Offered;
            SetExpiry(lease, now + OfferHold.Ticks);
        }

        return new DhcpAnswer(DhcpMessageType.Offer, subnet, address, 0, LeaseSecondsFor(packet, subnet, host), host, null);
    }

    private DhcpAnswer Request(DhcpPacket packet, string? interfaceName, long now)
    {
        var serverId = packet.AddressOption(DhcpOptionCode.ServerIdentifier);
        var requested = packet.AddressOption(DhcpOptionCode.RequestedAddress);
        var candidates = CandidatesFor(packet, interfaceName);
        if (candidates.IsEmpty)
            return DhcpAnswer.Dropped(DhcpDropReason.NoSubnet);
        uint address;
        if (serverId != 0)
        {
            // SELECTING: the client answers one OFFER; if not ours, our offer is free again.
            if (!AnyServes(candidates, serverId))
            {
                ForgetOffer(packet.Mac);
                return DhcpAnswer.Dropped(DhcpDropReason.NotForUs);
            }

            address = requested != 0 ? requested : packet.ClientAddress;
        }
        else if (requested != 0)
        {
            address = requested;
        }
        else if (packet.ClientAddress != 0)
        {
            address = packet.ClientAddress;
        }
        else
        {
            return DhcpAnswer.Dropped(DhcpDropReason.Unmatched);
        }

        return Bind(packet, candidates, address, now);
    }

    /// <summary>ACKs <paramref name="address"/> for the client when it may have it, else NAKs (RFC 2131 §4.3.2).</summary>
    private DhcpAnswer Bind(DhcpPacket packet, ReadOnlySpan<ServedSubnet> candidates, uint address, long now)
    {
        var subnet = Containing(candidates, address);
        if (subnet is null)
            return DhcpAnswer.Nak(candidates[0]);
        var mac = packet.Mac;
        var host = ReservationAmong(mac, candidates);
        if (host is not null && host.Address != address)
            return DhcpAnswer.Nak(subnet);
        if (host is null && config.ReservedAddresses.ContainsKey(address))
            return DhcpAnswer.Nak(subnet);
        byMac.TryGetValue(mac, out var known);
        if (byAddress.TryGetValue(address, out var holder))
        {
            if (holder.Mac != mac)
                return DhcpAnswer.Nak(subnet);
        }
        else if (host is null && !subnet.Pool.TryMark(address))
        {
            return DhcpAnswer.Nak(subnet);
        }

        var lease = Hold(known, mac, address, subnet, now);
        lease.State = LeaseState.Bound;
        lease.LeaseSeconds = LeaseSecondsFor(packet, subnet, host);
        lease.Hostname = HostnameOf(packet, lease.Hostname);
        SetExpiry(lease, now + (lease.LeaseSeconds * TimeSpan.TicksPerSecond));
        journal?.Committed(lease);
        Report(LeaseAction.Commit, lease, now);
        return new DhcpAnswer(DhcpMessageType.Ack, subnet, address, packet.ClientAddress, lease.LeaseSeconds, host, null);
    }

    private DhcpAnswer Decline(DhcpPacket packet, long now)
    {
        var serverId = packet.AddressOption(DhcpOptionCode.ServerIdentifier);
        if (serverId != 0 && !ServesAsServer(serverId))
            return DhcpAnswer.Dropped(DhcpDropReason.NotForUs);
        var address = packet.AddressOption(DhcpOptionCode.RequestedAddress);
        if (!byMac.TryGetValue(packet.Mac, out var lease) || !lease.IsActive || lease.Address != address || lease.Subnet is not { } subnet)
            return DhcpAnswer.Dropped(DhcpDropReason.Unmatched);
        var wasBound = lease.State == LeaseState.Bound;
        lease.State = LeaseState.Released;
        lease.Subnet = null;
        byMac.Remove(packet.Mac);

        // The address stays out of the pool, held by no client, until the quarantine ends.
        var quarantine = new DhcpLease(0, address) { State = LeaseState.Declined, Subnet = subnet };
        byAddress[address] = quarantine;
        SetExpiry(quarantine, now + DeclineHold.Ticks);
        if (wasBound)
        {
            journal?.Ended(lease);
            Report(LeaseAction.Release, lease, now);
        }

        return default;
    }

    private DhcpAnswer Release(DhcpPacket packet, long now)
    {
        var serverId = packet.AddressOption(DhcpOptionCode.ServerIdentifier);
        if (serverId != 0 && !ServesAsServer(serverId))
            return DhcpAnswer.Dropped(DhcpDropReason.NotForUs);
        if (!byMac.TryGetValue(packet.Mac, out var lease) || lease.State != LeaseState.Bound || lease.Address != packet.ClientAddress)
            return DhcpAnswer.Dropped(DhcpDropReason.Unmatched);
        Detach(lease);
        lease.State = LeaseState.Released;
        journal?.Ended(lease);
        Report(LeaseAction.Release, lease, now);
        return default;
    }

    /// <summary>INFORM: the client has an address already and wants only the options (RFC 2131 §3.4).</summary>
    private DhcpAnswer Inform(DhcpPacket packet, string? interfaceName)
    {
        var candidates = CandidatesFor(packet, interfaceName);
        var subnet = Containing(candidates, packet.ClientAddress) ?? (candidates.IsEmpty ? null : candidates[0]);
        if (subnet is null)
            return DhcpAnswer.Dropped(DhcpDropReason.NoSubnet);
        var host = config.Hosts.TryGetValue(packet.Mac, out var h) && h.Address == packet.ClientAddress ? h : null;
        return new DhcpAnswer(DhcpMessageType.Ack, subnet, 0, packet.ClientAddress, 0, host, null);
    }

    /// <summary>
    /// Relayed: the relay's subnets. A client with an address talking to us directly (RENEWING,
    /// INFORM) may sit behind a router, so its own address picks the subnet; else the interface.
    /// </summary>
    private ReadOnlySpan<ServedSubnet> CandidatesFor(DhcpPacket packet, string? interfaceName)
    {
        if (packet.RelayAddress == 0 && packet.ClientAddress != 0 && config.SubnetOf(packet.ClientAddress) is { } own)
            return own.AsCandidates;
        return config.CandidatesFor(packet.RelayAddress, interfaceName);
    }
}
