using Anvil.Domain.Ipam;

namespace Anvil.Data.Ipam;

/// <summary>A <c>staticipaddress</c> row the allocator inserted.</summary>
public sealed record AllocatedAddress(long Id, IpAddress Ip);
