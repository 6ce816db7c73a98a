using System.Net;
using Anvil.Dns.Wire;

namespace Anvil.Region.Dns;

/// <summary>
/// What the publisher believes one BIND server holds, zone by zone. A zone it has not seen yet is
/// read with a zone transfer first, so a new publisher (start, takeover) reconciles each zone with
/// the database instead of trusting anyone's memory. Any failure forgets everything known about
/// the server: the next cycle reads it back again.
/// </summary>
internal sealed class DnsServerState(IPEndPoint endpoint)
{
    public IPEndPoint Endpoint { get; } = endpoint;

    public Dictionary<string, HashSet<DnsRecord>> Zones { get; } = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset ReadBackAt { get; set; }

    public bool Failed { get; set; }

    public void Forget()
    {
        Zones.Clear();
        Failed = true;
    }
}
