namespace Anvil.Data.Ipam;

/// <summary>Which addresses <see cref="IpAddressStore.ListAsync"/> returns; every set filter applies.</summary>
public sealed record IpAddressQuery
{
    /// <summary>Only this address.</summary>
    public string? Ip { get; init; }

    /// <summary>Only addresses owned by this user id.</summary>
    public long? OwnerId { get; init; }

    /// <summary>Only addresses owned by this username.</summary>
    public string? OwnerUsername { get; init; }

    /// <summary>Only USER_RESERVED addresses.</summary>
    public bool UserReservedOnly { get; init; }

    /// <summary>Only these rows.</summary>
    public IReadOnlyList<long>? Ids { get; init; }
}
