namespace Anvil.Rpc.Contracts;

/// <summary>A batch of lease events from one rack (maas-api.md §11.1), applied by the region in one transaction.</summary>
public sealed record UpdateLeasesRequest(string SystemId, IReadOnlyList<LeaseEventDto> Leases);

/// <summary>One event: <c>commit</c>, <c>release</c> or <c>expiry</c>; <see cref="Timestamp"/> in Unix seconds.</summary>
public sealed record LeaseEventDto(string Action, string IpFamily, string Mac, string Ip, string? Hostname, long Timestamp, int LeaseTime);

public sealed record UpdateLeasesResponse(int Applied, int Ignored, IReadOnlyList<string> Errors);
