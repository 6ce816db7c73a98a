using System.Globalization;
using System.Text.RegularExpressions;

namespace Anvil.Rack.Tests.Dhcp;

/// <summary>Reads perfdhcp's statistics sections ("***Statistics for: DISCOVER-OFFER***").</summary>
internal static partial class PerfdhcpReport
{
    public static (long Sent, long Received) SentAndReceived(string output, string exchange)
    {
        var at = output.IndexOf($"Statistics for: {exchange}", StringComparison.Ordinal);
        if (at < 0)
            return (-1, -1);
        var section = output[at..];
        return (Number(SentPackets().Match(section)), Number(ReceivedPackets().Match(section)));
    }

    private static long Number(Match match) => match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"sent packets: (\d+)")]
    private static partial Regex SentPackets();

    [GeneratedRegex(@"received packets: (\d+)")]
    private static partial Regex ReceivedPackets();
}
