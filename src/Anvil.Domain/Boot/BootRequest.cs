namespace Anvil.Domain.Boot;

/// <summary>
/// A network-booting client's question, as the rack sees it (maas-api.md §9.2 <c>GetBootConfig</c>):
/// the rack address it reached, the client's address, and whatever identity the request carried —
/// the MAC from a per-MAC config file name or DHCP, the architecture from DHCP option 93 or the
/// bootloader, the hardware UUID for <c>pxelinux.cfg/&lt;uuid&gt;</c>.
/// </summary>
public sealed record BootRequest(
    string LocalIp,
    string RemoteIp,
    string? Mac = null,
    string? Arch = null,
    string? Subarch = null,
    string? HardwareUuid = null,
    string? BiosBootMethod = null);
