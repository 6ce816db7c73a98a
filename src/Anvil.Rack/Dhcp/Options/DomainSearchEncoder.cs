using System.Text;

namespace Anvil.Rack.Dhcp.Options;

/// <summary>
/// RFC 3397 domain search list: the names in RFC 1035 wire form, a later name pointing back at a
/// suffix already written (compression pointers count from the start of the option value).
/// </summary>
internal static class DomainSearchEncoder
{
    public static byte[] Encode(IEnumerable<string> names)
    {
        var output = new List<byte>();
        var suffixes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var labels = name.Trim().TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
            var pointed = false;
            for (var i = 0; i < labels.Length; i++)
            {
                var suffix = string.Join('.', labels[i..]);
                if (suffixes.TryGetValue(suffix, out var offset) && offset < 0x3FFF)
                {
                    output.Add((byte)(0xC0 | (offset >> 8)));
                    output.Add((byte)offset);
                    pointed = true;
                    break;
                }

                suffixes[suffix] = output.Count;
                var label = Encoding.ASCII.GetBytes(labels[i]);
                output.Add((byte)Math.Min(label.Length, 63));
                output.AddRange(label.Take(63));
            }

            if (!pointed)
                output.Add(0);
        }

        return [.. output];
    }
}
