namespace Anvil.Domain.Ipam;

/// <summary>MAAS's IP list fields, e.g. <c>dns_servers=8.8.8.8, 8.8.4.4</c>.</summary>
public static class IpAddressList
{
    /// <summary>
    /// The addresses of <paramref name="values"/>, each a list separated by commas and/or white
    /// space (a zone index is dropped), or the first entry that is not an address.
    /// </summary>
    public static (IReadOnlyList<IpAddress> Addresses, string? Invalid) Parse(IEnumerable<string> values)
    {
        var addresses = new List<IpAddress>();
        foreach (var value in values)
        {
            foreach (var item in value.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IpAddress.TryParseDroppingZone(item, out var address))
                    return ([], item);
                addresses.Add(address);
            }
        }

        return (addresses, null);
    }
}
