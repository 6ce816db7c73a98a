using System.Buffers.Binary;
using System.Text;
using Anvil.Domain.Leases;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>Address choice and lease bookkeeping shared by the message handlers.</summary>
internal sealed partial class DhcpEngine
{
    /// <summary>
    /// Gives the client's lease object the address (moving it from its old one, which is freed and,
    /// when it was bound, reported released) and indexes it. The caller has reserved the address.
    /// </summary>
    private DhcpLease Hold(DhcpLease? known, ulong mac, uint address, ServedSubnet subnet, long now)
    {
        if (known is not null && known.Address != address && known.IsActive)
        {
            var wasBound = known.State == LeaseState.Bound;
            Detach(known);
            known.State = LeaseState.Released;
            if (wasBound)
            {
                journal?.Ended(known);
                Report(LeaseAction.Release, known, now);
            }
        }

        var lease = known ?? new DhcpLease(mac, address);
        if (lease.Address != address)
            lease.MoveTo(address);
        lease.Subnet = subnet;
        byAddress[address] = lease;
        byMac[mac] = lease;
        return lease;
    }

    /// <summary>Reserves a particular free dynamic address in one of the candidate subnets.</summary>
    private bool TryClaim(ReadOnlySpan<ServedSubnet> candidates, uint address, out ServedSubnet subnet)
    {
        subnet = null!;
        if (address == 0 || Containing(candidates, address) is not { } found
            || config.ReservedAddresses.ContainsKey(address) || byAddress.ContainsKey(address) || !found.Pool.TryMark(address))
            return false;
        subnet = found;
        return true;
    }

    private static bool TryTakeAny(ReadOnlySpan<ServedSubnet> candidates, out ServedSubnet subnet, out uint address)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Pool.TryTake(out address))
            {
                subnet = candidate;
                return true;
            }
        }

        subnet = null!;
        address = 0;
        return false;
    }

    private void ForgetOffer(ulong mac)
    {
        if (byMac.TryGetValue(mac, out var lease) && lease.State == LeaseState.Offered)
        {
            Detach(lease);
            lease.State = LeaseState.Expired;
        }
    }

    /// <summary>A snippet's lease time (host, then subnet or global) wins; else the PXE class or the default (maas-api.md §8.1).</summary>
    private int LeaseSecondsFor(DhcpPacket packet, ServedSubnet subnet, ServedHost? host)
    {
        var option = host?.Options[DhcpOptionCode.LeaseTime] ?? subnet.Options[DhcpOptionCode.LeaseTime];
        if (option is { Length: 4 })
            return (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(option), int.MaxValue);
        return packet.Option(DhcpOptionCode.VendorClass).StartsWith("PXEClient"u8)
            ? config.Source.PxeLeaseSeconds
            : config.Source.DefaultLeaseSeconds;
    }

    /// <summary>The hostname the client sent (option 12), reusing the previous string when unchanged.</summary>
    private static string? HostnameOf(DhcpPacket packet, string? previous)
    {
        var value = packet.Option(DhcpOptionCode.HostName).TrimEnd((byte)0);
        if (value.IsEmpty)
            return previous;
        if (previous is not null && previous.Length == value.Length)
        {
            var same = true;
            for (var i = 0; i < value.Length && same; i++)
                same = previous[i] == value[i];
            if (same)
                return previous;
        }

        return Encoding.ASCII.GetString(value);
    }

    private ServedHost? ReservationAmong(ulong mac, ReadOnlySpan<ServedSubnet> candidates) =>
        config.Hosts.TryGetValue(mac, out var host) && host.Subnet is { } subnet && Among(candidates, subnet) ? host : null;

    private static bool Among(ReadOnlySpan<ServedSubnet> candidates, ServedSubnet subnet)
    {
        foreach (var candidate in candidates)
        {
            if (candidate == subnet)
                return true;
        }

        return false;
    }

    private static ServedSubnet? Containing(ReadOnlySpan<ServedSubnet> candidates, uint address)
    {
        if (address == 0)
            return null;
        foreach (var candidate in candidates)
        {
            if (candidate.Contains(address))
                return candidate;
        }

        return null;
    }

    private static bool AnyServes(ReadOnlySpan<ServedSubnet> candidates, uint serverId)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.ServerAddress == serverId)
                return true;
        }

        return false;
    }

    private bool ServesAsServer(uint serverId)
    {
        foreach (var subnet in config.Subnets)
        {
            if (subnet.ServerAddress == serverId)
                return true;
        }

        return false;
    }
}
