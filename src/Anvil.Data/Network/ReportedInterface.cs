namespace Anvil.Data.Network;

/// <summary>
/// One interface a rack reports when it registers: its kernel name, type (<c>physical</c>,
/// <c>bond</c>, <c>bridge</c>, <c>vlan</c>, <c>alias</c>), MAC, the names of its parents, the VLAN
/// tag of a <c>vlan</c> interface, and the addresses configured on it.
/// </summary>
public sealed record ReportedInterface(
    string Name,
    string Type,
    string? Mac,
    IReadOnlyList<string> Parents,
    int? Vid,
    IReadOnlyList<ReportedLink> Links);

/// <summary>
/// An address on a reported interface: the block it sits in (host bits may be set, as in
/// <c>10.0.0.5/24</c>), and the address itself. Without <see cref="Ip"/> the host part of
/// <see cref="Cidr"/> is the address, unless it is the network address (then the link records
/// the subnet only).
/// </summary>
public sealed record ReportedLink(string Cidr, string? Ip = null);

/// <summary>What a registration changed, and the links it could not record (with why).</summary>
public sealed record RackRegistrationResult(int FabricsCreated, int VlansCreated, int SubnetsCreated, IReadOnlyList<string> Skipped);
