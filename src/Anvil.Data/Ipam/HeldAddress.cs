using Anvil.Domain.Ipam;

namespace Anvil.Data.Ipam;

/// <summary>Who holds an address, for deciding whether a caller may release it.</summary>
public sealed record HeldAddress(long Id, IpAddressType AllocType, long? UserId);
