using System.Text.Json.Serialization;
using Anvil.Domain.Network;

namespace Anvil.Region.Api.Network.Dto;

/// <summary>A run of addresses as <c>reserved_ip_ranges</c>, <c>unreserved_ip_ranges</c> and statistics show it.</summary>
internal sealed record AddressRangeDto(
    string Start,
    string End,
    UInt128 NumAddresses,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Purpose)
{
    public static AddressRangeDto WithPurpose(AddressRange range) => new(range.Start.ToString(), range.End.ToString(), range.NumAddresses, range.Purposes);

    public static AddressRangeDto WithoutPurpose(AddressRange range) => new(range.Start.ToString(), range.End.ToString(), range.NumAddresses, null);
}
