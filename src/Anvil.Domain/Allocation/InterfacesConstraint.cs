using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Allocation;

/// <summary>
/// The parsed <c>interfaces</c> constraint: <c>label:key=value[,key=value…][;label2:…]</c>.
/// Repeated keys collect their values in order; labels keep their written order.
/// </summary>
public sealed partial class InterfacesConstraint
{
    /// <summary>The keys MAAS accepts (<c>NETWORKING_CONSTRAINT_NAMES</c>).</summary>
    public static readonly IReadOnlySet<string> AllowedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "not_id", "fabric", "not_fabric", "fabric_class", "not_fabric_class", "ip", "not_ip", "mode",
        "name", "not_name", "hostname", "not_hostname", "subnet", "not_subnet", "space", "not_space",
        "subnet_cidr", "not_subnet_cidr", "type", "vlan", "not_vlan", "vid", "not_vid", "tag", "not_tag",
        "link_speed",
    };

    private InterfacesConstraint(string text, IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>>> labels)
    {
        Text = text;
        Labels = labels;
    }

    public string Text { get; }

    /// <summary>label → (key → values), in written order.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>>> Labels { get; }

    /// <summary>Parses the syntax and checks the keys; throws <see cref="ValidationException"/> on <c>interfaces</c>.</summary>
    public static InterfacesConstraint Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new ValidationException("interfaces", error);

    public static bool TryParse(string text, out InterfacesConstraint parsed, out string error)
    {
        parsed = null!;
        error = "";
        var labels = new List<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>>>();
        // MAAS treats a one-character value as an empty map rather than an error.
        if (text.Length > 1)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var constraint in text.Split(';'))
            {
                var colon = constraint.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    error = $"Malformed constraint: '{constraint}' (required format: '<label>:<key>=<value>[,<key2>=<value2>[,...]]')";
                    return false;
                }
                var label = constraint[..colon];
                if (!LabelRegex().IsMatch(label))
                {
                    error = $"Invalid label name: '{label}' (Must begin with an alphanumeric character, and include only alphanumeric characters, dashes, and underscores.)";
                    return false;
                }
                if (!seen.Add(label))
                {
                    error = $"Constraint label defined more than once: '{label}'";
                    return false;
                }
                var keys = new List<KeyValuePair<string, List<string>>>();
                foreach (var pair in constraint[(colon + 1)..].Split(','))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 0)
                    {
                        error = $"Malformed key/value pair in constraint: '{pair}'";
                        return false;
                    }
                    var key = pair[..equals];
                    var index = keys.FindIndex(k => k.Key == key);
                    if (index < 0)
                        keys.Add(new(key, [pair[(equals + 1)..]]));
                    else
                        keys[index].Value.Add(pair[(equals + 1)..]);
                }
                labels.Add(new(label, [.. keys.Select(k => new KeyValuePair<string, IReadOnlyList<string>>(k.Key, k.Value))]));
            }
        }
        foreach (var (_, keys) in labels)
        {
            foreach (var (key, _) in keys)
            {
                if (!AllowedKeys.Contains(key))
                {
                    // The unbalanced quote is MAAS's text.
                    error = $"Unknown interfaces constraint: '{key}";
                    return false;
                }
            }
        }
        parsed = new InterfacesConstraint(text, labels);
        return true;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]+[a-zA-Z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelRegex();
}
