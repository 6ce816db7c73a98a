using Anvil.Domain.Ipam;
using Anvil.Rack.Dhcp;
using Anvil.Rack.Dhcp.Engine;
using Anvil.Rack.Dhcp.Wire;
using Anvil.Rack.Metrics;
using Anvil.Rack.Timeline;
using Anvil.Rpc.Contracts;
using Anvil.Testing;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>An engine on a manual clock, with its counters and lease events, fed built packets.</summary>
internal sealed class EngineHarness
{
    private sealed class ListSink(List<BootEventDto> list) : IBootEventSink
    {
        public void Record(BootEventDto bootEvent)
        {
            lock (list)
                list.Add(bootEvent);
        }
    }

    public const string Interface = "eth-test";

    private readonly DhcpPacket packet = new();
    private readonly byte[] reply = new byte[1500];

    public EngineHarness(DhcpServerConfig config, ILeaseJournal? journal = null)
    {
        Engine = new DhcpEngine(new DhcpMetrics(Metrics), Leases, Time, journal, new ListSink(Timeline));
        Engine.Apply(config);
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public RackMetrics Metrics { get; } = new();

    public RecordingLeaseSink Leases { get; } = new();

    /// <summary>The boot timeline events the engine recorded.</summary>
    public List<BootEventDto> Timeline { get; } = [];

    public DhcpEngine Engine { get; }

    /// <summary>The reply, or null when the engine answered nothing.</summary>
    public ReplyView? Send(ClientPacket client, string? interfaceName = Interface) => Send(client.ToBytes(), interfaceName, out _);

    public ReplyView? Send(byte[] datagram, string? interfaceName, out ReplyDestination destination)
    {
        var length = Engine.Process(datagram, interfaceName, packet, reply, out destination);
        return length == 0 ? null : new ReplyView(reply.AsSpan(0, length));
    }

    /// <summary>DISCOVER then REQUEST (SELECTING): the ACK.</summary>
    public ReplyView Lease(ulong mac, string? interfaceName = Interface, Action<ClientPacket>? extra = null)
    {
        var discover = new ClientPacket(DhcpMessageType.Discover, mac);
        extra?.Invoke(discover);
        var offer = Send(discover, interfaceName) ?? throw new InvalidOperationException("no offer");
        var request = new ClientPacket(DhcpMessageType.Request, mac)
            .WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address(offer.YourAddress))
            .WithAddress(DhcpOptionCode.ServerIdentifier, ReplyView.Address(offer.Address(DhcpOptionCode.ServerIdentifier)));
        extra?.Invoke(request);
        return Send(request, interfaceName) ?? throw new InvalidOperationException("no ack");
    }

    public long Dropped(string reason) => Metrics.Value(DhcpMetrics.DroppedName, ("reason", reason));

    /// <summary>10.0.0.0/24 on <see cref="Interface"/>, server .1, dynamic .100-.199.</summary>
    public static DhcpSubnetConfig Subnet(string cidr = "10.0.0.0/24", string? interfaceName = Interface, string server = "10.0.0.1", string first = "10.0.0.100", string last = "10.0.0.199") =>
        new(1, IpNetwork.Parse(cidr), interfaceName, IpAddress.Parse(server), [new IpRange(IpAddress.Parse(first), IpAddress.Parse(last))])
        {
            Gateway = IpAddress.Parse(server),
            DnsServers = [IpAddress.Parse(server)],
            DomainName = "maas",
        };

    public static DhcpServerConfig Config(params DhcpSubnetConfig[] subnets) => new(subnets, []);
}
