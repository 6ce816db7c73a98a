using System.Text;
using Anvil.Domain.Dhcp;
using Anvil.Domain.Ipam;
using Anvil.Rack.Dhcp.Boot;
using Anvil.Rack.Dhcp.Options;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>
/// A served subnet compiled for the hot path: addresses as numbers, the dynamic ranges as an
/// <see cref="AddressPool"/>, every option it sends already encoded (generated ones overridden by
/// global, then subnet snippets), and the boot answer of each boot method.
/// </summary>
internal sealed class ServedSubnet
{
    private readonly Dictionary<BootMethod, BootAnswer> boot = [];

    public ServedSubnet(DhcpSubnetConfig config, IReadOnlyList<DhcpOption> globalOptions)
    {
        Config = config;
        Network = (uint)config.Cidr.Network.Value;
        Broadcast = (uint)config.Cidr.Last.Value;
        Mask = config.Cidr.PrefixLength == 0 ? 0 : uint.MaxValue << (32 - config.Cidr.PrefixLength);
        ServerAddress = (uint)config.ServerAddress.Value;
        var hosts = config.Cidr.HostRange;
        Pool = new AddressPool(config.DynamicRanges
            .Where(r => r.Family == IpFamily.V4 && r.Last >= hosts.First && r.First <= hosts.Last)
            .Select(r => ((uint)Math.Max((ulong)r.First.Value, (ulong)hosts.First.Value), (uint)Math.Min((ulong)r.Last.Value, (ulong)hosts.Last.Value))));
        Pool.TryMark(ServerAddress);
        if (config.Gateway is { Family: IpFamily.V4 } gateway)
            Pool.TryMark((uint)gateway.Value);

        Options[DhcpOptionCode.SubnetMask] = DhcpOptionEncoder.BigEndian32(Mask);
        if (config.Cidr.PrefixLength < 31)
            Options[DhcpOptionCode.BroadcastAddress] = DhcpOptionEncoder.BigEndian32(Broadcast);
        if (config.Gateway is { Family: IpFamily.V4 } router)
            Options[DhcpOptionCode.Router] = DhcpOptionEncoder.Addresses([router]);
        SetIfAny(DhcpOptionCode.DomainNameServer, DhcpOptionEncoder.Addresses(config.DnsServers));
        SetIfAny(DhcpOptionCode.NtpServers, DhcpOptionEncoder.Addresses(config.NtpServers));
        if (!string.IsNullOrWhiteSpace(config.DomainName))
            Options[DhcpOptionCode.DomainName] = Encoding.ASCII.GetBytes(config.DomainName.Trim());
        if (config.DomainSearch.Count > 0)
            SetIfAny(DhcpOptionCode.DomainSearch, DomainSearchEncoder.Encode(config.DomainSearch));
        if (config.Mtu != 1500 && config.Mtu is >= 68 and <= ushort.MaxValue)
            Options[DhcpOptionCode.InterfaceMtu] = DhcpOptionEncoder.BigEndian16((ushort)config.Mtu);
        foreach (var option in globalOptions.Concat(config.Options))
        {
            if (option.Code is > 0 and < 255 && DhcpOptionEncoder.Encode(option) is { } value)
                Options[option.Code] = value;
        }

        var rack = config.ServerAddress.ToString();
        foreach (var method in BootMethods.All)
            boot[method] = new BootAnswer(method, rack);
    }

    public DhcpSubnetConfig Config { get; }

    public uint Network { get; }

    public uint Mask { get; }

    public uint Broadcast { get; }

    public uint ServerAddress { get; }

    public AddressPool Pool { get; }

    /// <summary>Encoded option values by code; null where the subnet sends nothing.</summary>
    public byte[]?[] Options { get; } = new byte[]?[256];

    /// <summary>This subnet alone, as a candidate list (kept, so choosing it allocates nothing).</summary>
    public ServedSubnet[] AsCandidates => field ??= [this];

    public bool Contains(uint address) => (address & Mask) == Network;

    public BootAnswer Boot(BootMethod method) => boot[method];

    private void SetIfAny(byte code, byte[] value)
    {
        if (value.Length > 0)
            Options[code] = value;
    }
}

/// <summary>A boot method's answer on one subnet, encoded once.</summary>
internal sealed class BootAnswer(BootMethod method, string rack)
{
    public BootMethod Method { get; } = method;

    public byte[] File { get; } = Encoding.ASCII.GetBytes(method.FileFor(rack));

    public byte[]? PathPrefix { get; } = method.PathPrefixFor(rack) is { } prefix ? Encoding.ASCII.GetBytes(prefix) : null;
}
