namespace Anvil.Region.Dns;

/// <summary>What one publishing cycle did: records sent, UPDATE messages, zones read back, servers that failed.</summary>
public sealed record DnsPublishResult(int Added, int Deleted, int Messages, int ZonesTransferred, IReadOnlyList<string> FailedServers)
{
    public static readonly DnsPublishResult None = new(0, 0, 0, 0, []);
}
