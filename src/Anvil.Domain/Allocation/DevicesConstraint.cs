using Anvil.Domain.Errors;

namespace Anvil.Domain.Allocation;

/// <summary>
/// The parsed <c>devices</c> constraint, <c>key=value[,key=value]</c>: one PCI/USB device must
/// match every pair, values compared case-insensitively. A repeated key keeps its last value.
/// </summary>
public sealed class DevicesConstraint
{
    public static readonly IReadOnlySet<string> AllowedKeys = new HashSet<string>(StringComparer.Ordinal)
        { "vendor_id", "product_id", "vendor_name", "product_name", "commissioning_driver" };

    private DevicesConstraint(string text, IReadOnlyDictionary<string, string> filters)
    {
        Text = text;
        Filters = filters;
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, string> Filters { get; }

    public static DevicesConstraint Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new ValidationException("devices", error);

    public static bool TryParse(string text, out DevicesConstraint parsed, out string error)
    {
        parsed = null!;
        error = "";
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(','))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (!AllowedKeys.Contains(key) || equals < 0)
            {
                // The unbalanced quote is MAAS's text.
                error = $"Unknown devices constraint: '{key}";
                return false;
            }
            filters[key] = pair[(equals + 1)..];
        }
        parsed = new DevicesConstraint(text, filters);
        return true;
    }

    internal bool Matches(NodeDeviceCandidate device)
    {
        foreach (var (key, value) in Filters)
        {
            var actual = key switch
            {
                "vendor_id" => device.VendorId,
                "product_id" => device.ProductId,
                "vendor_name" => device.VendorName,
                "product_name" => device.ProductName,
                _ => device.CommissioningDriver,
            };
            if (!string.Equals(actual, value, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }
}
