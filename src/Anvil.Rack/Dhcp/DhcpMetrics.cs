using Anvil.Rack.Dhcp.Wire;
using Anvil.Rack.Metrics;

namespace Anvil.Rack.Dhcp;

/// <summary>The DHCP server's counters, looked up once so counting a packet allocates nothing.</summary>
internal sealed class DhcpMetrics
{
    public const string ReceivedName = "anvil_dhcp_received_total";
    public const string RepliesName = "anvil_dhcp_replies_total";
    public const string DroppedName = "anvil_dhcp_dropped_total";

    private readonly Counter[] received = new Counter[9];
    private readonly Counter[] replies = new Counter[9];
    private readonly Counter[] dropped;

    public DhcpMetrics(RackMetrics metrics)
    {
        foreach (var type in Enum.GetValues<DhcpMessageType>())
        {
            received[(int)type] = metrics.Counter(ReceivedName, "DHCP messages received, by message type.", ("type", DhcpMessageTypes.MetricName(type)));
            replies[(int)type] = metrics.Counter(RepliesName, "DHCP replies sent, by message type.", ("type", DhcpMessageTypes.MetricName(type)));
        }

        dropped = [.. DhcpDropReasons.All.Select(r =>
            metrics.Counter(DroppedName, "DHCP datagrams not answered, by reason.", ("reason", DhcpDropReasons.MetricName(r))))];
    }

    public void Received(DhcpMessageType type) => received[(int)type].Increment();

    public void Replied(DhcpMessageType type) => replies[(int)type].Increment();

    public void Dropped(DhcpDropReason reason) => dropped[(int)reason].Increment();
}
