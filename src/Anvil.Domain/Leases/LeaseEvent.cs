using Anvil.Domain.Ipam;

namespace Anvil.Domain.Leases;

/// <summary>
/// One lease notification as the rack forwards it (maas-api.md §11.1): the action, the family the
/// DHCP server served, the client's MAC and address, the hostname it sent, when it happened and
/// how long the lease lasts in seconds.
/// </summary>
public sealed record LeaseEvent(
    LeaseAction Action,
    IpFamily Family,
    string Mac,
    string Ip,
    string? Hostname,
    DateTimeOffset Timestamp,
    int LeaseTime = 0);
