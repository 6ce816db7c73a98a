using System.Text.Json.Serialization;

namespace Anvil.Region.Api.Network.Dto;

/// <summary>One address of <c>subnets/{id}/?op=ip_addresses</c>; <c>user</c> and <c>node_summary</c> appear only when asked for and known.</summary>
internal sealed record SubnetAddressDto(
    string Ip,
    int AllocType,
    string Created,
    string Updated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? User,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NodeSummaryDto? NodeSummary);

internal sealed record NodeSummaryDto(string SystemId, int NodeType, string Fqdn, string Hostname, bool IsContainer, string? Via);
