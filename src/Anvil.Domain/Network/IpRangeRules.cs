using Anvil.Domain.Errors;
using Anvil.Domain.Ipam;

namespace Anvil.Domain.Network;

/// <summary>
/// MAAS's validation of an IP range against its subnet. Each rule stops at the first failure
/// and reports it on the field(s) MAAS highlights; when a rule names no field, both
/// <c>start_ip</c> and <c>end_ip</c> carry the message.
/// </summary>
public static class IpRangeRules
{
    public const string Dynamic = "dynamic";
    public const string Reserved = "reserved";

    public static bool IsKnownType(string type) => type is Dynamic or Reserved;

    /// <summary>Throws <see cref="ValidationException"/> unless [start, end] is a valid <paramref name="type"/> range of the subnet.</summary>
    public static void Validate(SubnetUsage usage, string type, IpAddress start, IpAddress end, long? rangeId)
    {
        var cidr = usage.Cidr;
        if (start.Family != end.Family)
            throw Both("Start IP address and end IP address must be in the same address family.");
        if (end.Value < start.Value)
            throw new ValidationException("end_ip", "End IP address must not be less than Start IP address.");
        var startInside = cidr.Contains(start);
        var endInside = cidr.Contains(end);
        if (!startInside && !endInside)
            throw Both($"IP addresses must be within subnet: {cidr}.");
        if (!startInside)
            throw new ValidationException("start_ip", $"Start IP address must be within subnet: {cidr}.");
        if (!endInside)
            throw new ValidationException("end_ip", $"End IP address must be within subnet: {cidr}.");
        var pointToPoint = cidr.PrefixLength >= cidr.Network.Bits - 1;
        if (!pointToPoint && start == cidr.First)
            throw new ValidationException("start_ip", "Reserved network address cannot be included in IP range.");
        if (!pointToPoint && cidr.Family == IpFamily.V4 && end == cidr.Last)
            throw new ValidationException("end_ip", "Broadcast address cannot be included in IP range.");
        if (cidr.Family == IpFamily.V6 && type == Dynamic && new IpRange(start, end).Count < 256)
            throw Both("IPv6 dynamic range must be at least 256 addresses in size.");

        var available = type == Reserved ? usage.AvailableForReservedRange(rangeId) : usage.AvailableForDynamicRange(rangeId);
        if (available.Count == 0)
            throw Both($"There is no room for any {type} ranges on this subnet.");
        if (!available.Any(r => r.Contains(start) && r.Contains(end)))
            throw Both(ConflictMessage(type));
    }

    /// <summary>The refusal of an overlapping range, also used when the database's exclusion constraint catches a race.</summary>
    public static string ConflictMessage(string type) =>
        type == Reserved
            ? "Requested reserved range conflicts with an existing range."
            : "Requested dynamic range conflicts with an existing IP address or range.";

    public static ValidationException Both(string message) => new(new Dictionary<string, IReadOnlyList<string>>
    {
        ["start_ip"] = [message],
        ["end_ip"] = [message],
    });
}
