using System.Net;

namespace Anvil.Domain.Netplan;

/// <summary>A route from hosts on <see cref="Source"/> to <see cref="Destination"/> through <see cref="Gateway"/>.</summary>
public sealed record StaticRouteConfig
{
    public required IPNetwork Source { get; init; }

    public required IPNetwork Destination { get; init; }

    /// <summary>Must lie in <see cref="Source"/>, the subnet the machine reaches it on.</summary>
    public required IPAddress Gateway { get; init; }

    public int Metric { get; init; }
}
