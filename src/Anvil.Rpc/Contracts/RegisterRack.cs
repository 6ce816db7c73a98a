namespace Anvil.Rpc.Contracts;

/// <summary>
/// A rack introducing itself (maas-api.md §9.2 <c>RegisterRackController</c>): the system_id it
/// was given before (null the first time), what it runs on, and its interfaces as it sees them.
/// </summary>
public sealed record RegisterRackRequest(
    string? SystemId,
    string Hostname,
    string Architecture,
    string Version,
    IReadOnlyList<RackInterfaceReport> Interfaces);

/// <summary>One interface of the rack host; <see cref="Links"/> are its addresses in CIDR form (<c>10.0.0.2/24</c>).</summary>
public sealed record RackInterfaceReport(
    string Name,
    string Type,
    string? Mac,
    IReadOnlyList<string> Parents,
    int? Vid,
    IReadOnlyList<string> Links,
    bool Enabled = true);

/// <summary>The rack's identity from now on, and every region URL it should keep a link to.</summary>
public sealed record RegisterRackResponse(string SystemId, string Hostname, IReadOnlyList<string> Regions);
