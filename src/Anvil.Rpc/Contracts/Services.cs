namespace Anvil.Rpc.Contracts;

/// <summary>The state of the rack's services (maas-api.md §3.7 <c>service_set</c>): <c>running</c>, <c>degraded</c>, <c>dead</c>, <c>off</c>, <c>unknown</c>.</summary>
public sealed record UpdateServicesRequest(string SystemId, IReadOnlyList<ServiceStatusDto> Services);

public sealed record ServiceStatusDto(string Name, string Status, string StatusInfo);

/// <summary>Keep-alive both ways; the region also records when it last heard from the rack.</summary>
public sealed record PingRequest(string? SystemId);

public sealed record PingResponse(DateTimeOffset Time);

/// <summary>A boot question from the rack: the request plus who asks.</summary>
public sealed record BootConfigRequest(string SystemId, Anvil.Domain.Boot.BootRequest Request);
