using Anvil.Region.Api.Resources.Dto;

namespace Anvil.Region.Api.Network.Dto;

internal sealed record IpRangeDto(long Id, string Type, string StartIp, string EndIp, string Comment, UserDto? User, SubnetDto Subnet, string ResourceUri);
